import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import type { AgentServerMessage } from '@earpiece/assist-server/protocol';
import { callReducer, initialAgentState } from '../../state/call-reducer.ts';
import { selectActiveCall } from '../../state/select-active-call.ts';
import { customerContext, started } from '../../testing/agent-messages.ts';
import { CustomerContextCard, MAX_PREVIOUS_CALLS_SHOWN } from './customer-context-card.tsx';

afterEach(cleanup);
const callAfter = (messages: AgentServerMessage[]) => selectActiveCall(messages.reduce(callReducer, initialAgentState));
// Noon UTC, so the local date is the same in every time zone the tests run in.
const noon = (isoDate: string) => Date.parse(`${isoDate}T12:00:00Z`);

describe('CustomerContextCard', () => {
  it('shows nothing until the context arrives', () => {
    const { container } = render(<CustomerContextCard call={callAfter([started(1)])} />);
    expect(container.textContent).toBe('');
  });

  it('says when this is the first call from the number', () => {
    render(<CustomerContextCard call={callAfter([started(1), customerContext(2, { previousCalls: [] })])} />);
    expect(screen.getByText('First call from this number.')).toBeTruthy();
  });

  it('lists previous calls newest first: date, intents, outcome and open issue', () => {
    const context = {
      previousCalls: [
        { callId: 'old-1', startedAtMs: noon('2025-03-02'), intents: ['card_arrival'], outcome: 'resolved', openIssue: null },
        { callId: 'old-2', startedAtMs: noon('2025-04-20'), intents: ['request_refund', 'transaction_charged_twice'], outcome: null, openIssue: 'Refund for a double charge not yet received' },
      ],
    };
    render(<CustomerContextCard call={callAfter([started(1), customerContext(2, context)])} />);
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Previous calls · 1 open issue');
    const rows = screen.getAllByRole('listitem');
    expect(rows.map((r) => r.dataset.callId)).toEqual(['old-2', 'old-1']);
    expect(rows[0]!.textContent).toBe('20 Apr 2025 · Request refund, Transaction charged twiceOutcome: not recordedOpen issue: Refund for a double charge not yet received');
    expect(within(rows[1]!).getByText('Outcome: resolved')).toBeTruthy();
    expect(rows[1]!.querySelector('time')?.getAttribute('datetime')).toBe('2025-03-02T12:00:00.000Z');
  });

  it('shows the newest few and counts the rest', () => {
    const previousCalls = Array.from({ length: MAX_PREVIOUS_CALLS_SHOWN + 2 }, (_, i) => ({ callId: `c${i}`, startedAtMs: noon('2025-01-01') + i * 86_400_000, intents: [], outcome: 'resolved', openIssue: null }));
    render(<CustomerContextCard call={callAfter([started(1), customerContext(2, { previousCalls })])} />);
    expect(screen.getAllByRole('listitem')).toHaveLength(MAX_PREVIOUS_CALLS_SHOWN);
    expect(screen.getByText('and 2 earlier')).toBeTruthy();
  });
});
