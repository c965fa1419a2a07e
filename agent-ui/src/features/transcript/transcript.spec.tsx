import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { AgentServerMessage } from '@earpiece/assist-server/protocol';
import { callReducer, initialAgentState } from '../../state/call-reducer.ts';
import type { AgentState } from '../../state/call-reducer.ts';
import { selectActiveCall } from '../../state/select-active-call.ts';
import { final, partial, started } from '../../testing/agent-messages.ts';
import { Transcript } from './transcript.tsx';

afterEach(cleanup);

const fold = (messages: AgentServerMessage[], from: AgentState = initialAgentState) => messages.reduce(callReducer, from);
const utterances = () => screen.getByRole('log', { name: 'Live transcript' }).querySelectorAll('[data-role]');

describe('Transcript', () => {
  it('shows the waiting state when there is no call', () => {
    render(<Transcript call={null} />);
    expect(screen.getByRole('log', { name: 'Live transcript' }).textContent).toContain('Waiting for a call…');
  });

  it('renders a partial that updates in place, then turns final in the same element', () => {
    let state = fold([started(1), partial(2, 'u1', 'customer', 'my card', 0)]);
    const view = render(<Transcript call={selectActiveCall(state)} />);

    const [first] = utterances();
    expect(first).toBeDefined();
    expect(first!.getAttribute('data-role')).toBe('customer');
    expect(first!.getAttribute('data-state')).toBe('partial');
    expect(first!.textContent).toContain('Customer');
    expect(first!.textContent).toContain('my card');

    state = fold([partial(3, 'u1', 'customer', 'my card was', 0)], state);
    view.rerender(<Transcript call={selectActiveCall(state)} />);
    expect(utterances()).toHaveLength(1);
    expect(utterances()[0]).toBe(first);
    expect(first!.textContent).toContain('my card was');

    state = fold([final(4, 'u1', 'customer', 'my card was declined', 0), partial(5, 'a1', 'agent', 'let me', 2500)], state);
    view.rerender(<Transcript call={selectActiveCall(state)} />);
    const rows = utterances();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toBe(first);
    expect(first!.getAttribute('data-state')).toBe('final');
    expect(first!.textContent).toContain('my card was declined');
    expect(rows[1]!.getAttribute('data-role')).toBe('agent');
    expect(rows[1]!.getAttribute('data-state')).toBe('partial');
    expect(rows[1]!.textContent).toContain('You');
  });

  it('follows new speech at the bottom but leaves a user who scrolled up where they are', () => {
    let state = fold([started(1), final(2, 'u1', 'customer', 'one', 0)]);
    const view = render(<Transcript call={selectActiveCall(state)} />);
    const log = screen.getByRole('log', { name: 'Live transcript' });
    // jsdom does no layout: give the log a fixed viewport and a growing content height.
    let contentHeight = 1000;
    Object.defineProperty(log, 'clientHeight', { configurable: true, get: () => 300 });
    Object.defineProperty(log, 'scrollHeight', { configurable: true, get: () => contentHeight });

    contentHeight = 1200;
    state = fold([final(3, 'a1', 'agent', 'two', 1000)], state);
    view.rerender(<Transcript call={selectActiveCall(state)} />);
    expect(log.scrollTop).toBe(1200);

    log.scrollTop = 100;
    fireEvent.scroll(log);
    contentHeight = 1400;
    state = fold([final(4, 'u2', 'customer', 'three', 2000)], state);
    view.rerender(<Transcript call={selectActiveCall(state)} />);
    expect(log.scrollTop).toBe(100);

    const jump = screen.getByRole('button', { name: /jump to latest/i });
    act(() => jump.click());
    expect(log.scrollTop).toBe(1400);
    expect(screen.queryByRole('button', { name: /jump to latest/i })).toBeNull();
  });
});
