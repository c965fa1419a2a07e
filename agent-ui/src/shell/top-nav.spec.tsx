import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { SignedInUser } from '@earpiece/assist-server/protocol';
import { TopNav } from './top-nav.tsx';

afterEach(cleanup);

const user = (role: SignedInUser['role']): SignedInUser => ({ userId: 'u1', username: 'u1', displayName: 'Uma One', role, teamId: null });
const links = () => screen.queryAllByRole('link').filter((l) => l.className === 'top-nav-link').map((l) => l.textContent);

describe('TopNav', () => {
  it('links only the screens the role may use', () => {
    render(<TopNav current="admin" user={user('admin')} />);
    expect(links()).toEqual(['Agent desk', 'Review', 'Supervisor', 'Admin']);
    cleanup();
    render(<TopNav current="supervisor" user={user('supervisor')} />);
    expect(links()).toEqual([]); // one screen: no nav to show
    cleanup();
    render(<TopNav current="desk" />);
    expect(links()).toEqual([]);
    expect(screen.queryByRole('button', { name: 'Sign out' })).toBeNull();
  });

  it('shows who is signed in and signs out', () => {
    const onSignOut = vi.fn();
    render(<TopNav current="review" user={user('reviewer')} onSignOut={onSignOut} />);
    expect(screen.getByTestId('signed-in-user').textContent).toBe('Uma One');
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(onSignOut).toHaveBeenCalledOnce();
  });
});
