import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import type { AgentServerMessage } from '@earpiece/assist-server/protocol';
import { callReducer, initialAgentState } from '../../state/call-reducer.ts';
import { selectActiveCall } from '../../state/select-active-call.ts';
import { emotion, escalation, intent, started } from '../../testing/agent-messages.ts';
import { CustomerInsight, intentLabel, trendDirection } from './customer-insight.tsx';

afterEach(cleanup);
const callAfter = (messages: AgentServerMessage[]) => selectActiveCall(messages.reduce(callReducer, initialAgentState));

describe('CustomerInsight', () => {
  it('shows nothing until there is an intent or emotion', () => {
    const { container } = render(<CustomerInsight call={callAfter([started(1)])} />);
    expect(container.textContent).toBe('');
  });

  it('shows an early guess, then the confirmed intent, with the emotion and its cues', () => {
    const view = render(<CustomerInsight call={callAfter([started(1), intent(2, 'u1', 'lost_or_stolen_card', 'early')])} />);
    expect(screen.getByTestId('intent').textContent).toContain('Lost or stolen card');
    expect(screen.getByTestId('intent').textContent).toContain('early guess');
    view.rerender(<CustomerInsight call={callAfter([started(1), intent(2, 'u1', 'lost_or_stolen_card', 'early'), intent(3, 'u1', 'lost_or_stolen_card', 'final', 'confirmed'), emotion(4, 'u1', 'frustrated', 0.5)])} />);
    expect(screen.getByTestId('intent').textContent).not.toContain('early guess');
    expect(screen.getByTestId('emotion').textContent).toContain('frustrated');
    expect(screen.getByTestId('emotion').textContent).toContain('speaking louder');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('raises an alert on escalation and names out-of-scope plainly', () => {
    render(<CustomerInsight call={callAfter([started(1), intent(2, 'u1', 'oos', 'final'), emotion(3, 'u1', 'angry', 0.8), escalation(4, 'u1')])} />);
    expect(screen.getByRole('alert').textContent).toContain('more upset');
    expect(screen.getByTestId('intent').textContent).toContain('Outside what we handle');
    expect(intentLabel('card_arrival')).toBe('Card arrival');
  });

  it('shows the intents so far and a gauge of how upset the customer is, with where it is heading', () => {
    const messages = [
      started(1),
      intent(2, 'u1', 'card_arrival', 'final'),
      emotion(3, 'u1', 'neutral', 0.2),
      intent(4, 'u2', 'lost_or_stolen_card', 'final'),
      emotion(5, 'u2', 'frustrated', 0.5),
    ];
    render(<CustomerInsight call={callAfter(messages)} />);
    const items = [...screen.getByTestId('intent-timeline').querySelectorAll('li')].map((li) => li.textContent);
    expect(items).toEqual(['Card arrival', 'Lost or stolen card']);
    const gauge = screen.getByRole('meter', { name: 'Upset' });
    expect(gauge.getAttribute('value')).toBe('0.5');
    expect(screen.getByTestId('emotion-trend').textContent).toContain('getting more upset');
  });

  it('names the trend direction from its last two points', () => {
    expect(trendDirection([])).toBe('steady');
    expect(trendDirection([0.4])).toBe('steady');
    expect(trendDirection([0.2, 0.5])).toBe('rising');
    expect(trendDirection([0.5, 0.2])).toBe('easing');
    expect(trendDirection([0.5, 0.52])).toBe('steady');
  });
});
