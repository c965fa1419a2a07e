import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import type { AgentServerMessage } from '@earpiece/assist-server/protocol';
import { AGENT_UI_PROTOCOL_VERSION } from '@earpiece/assist-server/protocol';
import { callReducer, initialAgentState } from '../../state/call-reducer.ts';
import { selectActiveCall } from '../../state/select-active-call.ts';
import { CALL_ID, ended, started } from '../../testing/agent-messages.ts';
import { HoldBanner } from './hold-banner.tsx';

afterEach(cleanup);
const callAfter = (messages: AgentServerMessage[]) => selectActiveCall(messages.reduce(callReducer, initialAgentState));
const hold = (seq: number, held: boolean): AgentServerMessage => ({ v: AGENT_UI_PROTOCOL_VERSION, type: 'call.hold', callId: CALL_ID, seq, atMs: 0, held });

describe('HoldBanner', () => {
  it('shows while the call is held, inside a status region, and goes on resume or hang-up', () => {
    const view = render(<HoldBanner call={callAfter([started(1), hold(2, true)])} />);
    expect(screen.getByRole('status').textContent).toContain('Call on hold.');
    view.rerender(<HoldBanner call={callAfter([started(1), hold(2, true), hold(3, false)])} />);
    expect(screen.queryByTestId('hold-banner')).toBeNull();
    view.rerender(<HoldBanner call={callAfter([started(1), hold(2, true), ended(3)])} />);
    expect(screen.queryByTestId('hold-banner')).toBeNull();
  });
});
