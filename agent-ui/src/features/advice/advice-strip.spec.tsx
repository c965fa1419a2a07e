import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import type { AgentServerMessage } from '@earpiece/assist-server/protocol';
import { callReducer, initialAgentState } from '../../state/call-reducer.ts';
import { selectActiveCall } from '../../state/select-active-call.ts';
import { advice, ended, started } from '../../testing/agent-messages.ts';
import { AdviceStrip } from './advice-strip.tsx';

afterEach(cleanup);
const callAfter = (messages: AgentServerMessage[]) => selectActiveCall(messages.reduce(callReducer, initialAgentState));

describe('AdviceStrip', () => {
  it('shows nothing without advice', () => {
    const { container } = render(<AdviceStrip call={callAfter([started(1)])} />);
    expect(container.textContent).toBe('');
  });

  it('shows each kind of advice newest first, with the transfer target, and no repeats', () => {
    const messages = [
      started(1),
      advice(2, 'transfer', 'card_services', 'Card disputes are handled by card services.'),
      advice(3, 'self-service', null, 'The app can show the PIN.'),
      advice(4, 'repeated-question', null, 'The customer asked about the card delivery twice.'),
      advice(5, 'open-issue', null, 'Refund from 3 May still open.'),
      advice(6, 'transfer', 'card_services', 'Card disputes: card services.'),
    ];
    render(<AdviceStrip call={callAfter(messages)} />);
    const rows = within(screen.getByRole('region', { name: 'Advice' })).getAllByRole('listitem');
    expect(rows.map((r) => r.dataset.kind)).toEqual(['transfer', 'open-issue', 'repeated-question', 'self-service']);
    expect(within(rows[0]!).getByText('card services').textContent).toBe('to card services');
    expect(rows[0]!.textContent).toContain('Card disputes: card services.');
    expect(within(rows[0]!).getByLabelText('70% confidence')).toBeTruthy();
    expect(rows[1]!.textContent).toContain('Open issue');
    expect(rows[2]!.textContent).toContain('Asked again');
    expect(rows[3]!.textContent).toContain('Self-service');
  });

  it('goes away when the call ends', () => {
    const { container } = render(<AdviceStrip call={callAfter([started(1), advice(2, 'self-service', null, 'x'), ended(3)])} />);
    expect(container.textContent).toBe('');
  });
});
