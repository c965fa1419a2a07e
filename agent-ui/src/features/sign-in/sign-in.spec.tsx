import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { SignIn } from './sign-in.tsx';
import { stubFetch } from '../../testing/stub-fetch.ts';

afterEach(cleanup);

const ADA = { userId: 'agent-7', username: 'agent-7', displayName: 'Ada Lovelace', role: 'agent', teamId: null };

describe('SignIn', () => {
  it('posts the username (trimmed) and password and hands over the signed-in user', async () => {
    const { fetchImpl, requests } = stubFetch(200, { user: ADA, expiresAtMs: 1 });
    const onSignedIn = vi.fn();
    render(<SignIn onSignedIn={onSignedIn} fetchImpl={fetchImpl} />);
    const submit = screen.getByRole('button', { name: 'Sign in' }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: ' agent-7 ' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'secret words' } });
    fireEvent.click(submit);
    await vi.waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(ADA));
    expect(requests).toEqual([{ url: '/api/auth/sign-in', method: 'POST', body: { username: 'agent-7', password: 'secret words' } }]);
  });

  it('says the username or password is wrong, clears the password and stays on the form', async () => {
    const { fetchImpl } = stubFetch(401, { code: 'EARPIECE_SIGN_IN_FAILED' });
    const onSignedIn = vi.fn();
    render(<SignIn onSignedIn={onSignedIn} fetchImpl={fetchImpl} />);
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'agent-7' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'wrong' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong username or password.');
    expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe('');
    expect(onSignedIn).not.toHaveBeenCalled();
  });

  it('reports a server error with its status', async () => {
    const { fetchImpl } = stubFetch(503, {});
    render(<SignIn onSignedIn={() => {}} fetchImpl={fetchImpl} />);
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'x' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'y' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toContain('503');
  });
});
