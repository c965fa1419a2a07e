import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { DeadLetter } from '@earpiece/assist-server/protocol';
import { DeadLetterPanel } from './dead-letter-panel.tsx';

afterEach(cleanup);

const LETTER: DeadLetter = { id: 'archive-call-7', callId: 'call-7', jobName: 'archive-call', failedReason: 'disk full', attemptsMade: 8, failedAtMs: Date.UTC(2026, 10, 24, 9), data: {} };

// `fetch` is the browser edge: stubbed with the server's answers (format of routes/post-call-routes.ts).
function server() {
  let letters = [LETTER];
  const calls: string[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push(`${init?.method ?? 'GET'} ${String(input)}`);
    if (init?.method === 'POST') {
      letters = [];
      return new Response(JSON.stringify({ retried: LETTER.id }), { status: 200 });
    }
    return new Response(JSON.stringify({ deadLetters: letters }), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { fetchImpl, calls };
}

describe('DeadLetterPanel', () => {
  it('lists failed jobs with their error and retries one', async () => {
    const { fetchImpl, calls } = server();
    render(<DeadLetterPanel fetchImpl={fetchImpl} />);
    expect(await screen.findByText('disk full')).toBeDefined();
    fireEvent.click(screen.getByRole('button', { name: 'Retry call-7' }));
    expect(await screen.findByText(/every ended call went through/)).toBeDefined();
    expect(calls).toContain('POST /api/admin/post-call/dead-letters/archive-call-7/retry');
    expect(screen.getByRole('status').textContent).toMatch(/Sent archive-call-7 back/);
  });
});
