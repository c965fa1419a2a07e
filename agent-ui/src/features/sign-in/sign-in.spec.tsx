import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { SignIn } from './sign-in.tsx';

afterEach(cleanup);

// `fetch` is the browser edge here: this unit test stubs it; the lead's e2e test uses the real server.
function stubFetch(body: unknown, status = 200) {
  const calls: string[] = [];
  const fetchImpl = (async (input: RequestInfo | URL) => {
    calls.push(String(input));
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { fetchImpl, calls };
}

describe('SignIn', () => {
  it('lists the agents from GET /api/agents and signs in with the one picked', async () => {
    const { fetchImpl, calls } = stubFetch({
      agents: [
        { agentId: 'agent-7', displayName: 'Ada Lovelace' },
        { agentId: 'agent-9', displayName: 'Grace Hopper' },
      ],
    });
    const onSignIn = vi.fn();
    render(<SignIn onSignIn={onSignIn} fetchImpl={fetchImpl} />);

    const grace = await screen.findByRole('button', { name: /Grace Hopper/ });
    expect(calls).toEqual(['/api/agents']);
    expect(screen.getByRole('button', { name: /Ada Lovelace/ })).toBeDefined();
    fireEvent.click(grace);
    expect(onSignIn).toHaveBeenCalledWith('agent-9');
  });

  it('accepts another agent id typed in, trimmed', async () => {
    const { fetchImpl } = stubFetch({ agents: [] });
    const onSignIn = vi.fn();
    render(<SignIn onSignIn={onSignIn} fetchImpl={fetchImpl} />);
    await screen.findByText('No agents are configured yet.');

    const submit = screen.getByRole('button', { name: 'Use this id' }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Another agent id'), { target: { value: '  agent-42 ' } });
    fireEvent.click(submit);
    expect(onSignIn).toHaveBeenCalledWith('agent-42');
  });

  it('says what went wrong when the server answers with an error, and can retry', async () => {
    const { fetchImpl, calls } = stubFetch({ error: 'nope' }, 503);
    render(<SignIn onSignIn={() => {}} fetchImpl={fetchImpl} />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('503');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByRole('alert');
    expect(calls).toHaveLength(2);
  });
});
