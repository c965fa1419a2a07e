import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { AgentClientMessage, AgentServerMessage } from '@earpiece/assist-server/protocol';
import { callReducer, initialAgentState } from '../../state/call-reducer.ts';
import { selectActiveCall } from '../../state/select-active-call.ts';
import { article, started, suggestions } from '../../testing/agent-messages.ts';
import { copyText } from '../../ui/copy-text.ts';
import { SuggestionsPanel } from './suggestions-panel.tsx';

afterEach(cleanup);
const callAfter = (messages: AgentServerMessage[]) => selectActiveCall(messages.reduce(callReducer, initialAgentState));

/** A send that records what the panel sends, like an open socket (or a closed one with `open = false`). */
function recorder(open = true) {
  const sent: AgentClientMessage[] = [];
  return { sent, send: (m: AgentClientMessage) => (open ? (sent.push(m), true) : false) };
}

const twoCards = () =>
  callAfter([started(1), suggestions(2, 'u1', 'final', [article('kb-card-arrival', 'card_arrival', ['card', 'arrive']), article('kb-track', 'card_delivery_estimate', ['track'])])]);

const card = (articleId: string) => {
  const el = document.querySelector<HTMLElement>(`[data-article-id="${articleId}"]`);
  if (!el) throw new Error(`no card ${articleId}`);
  return within(el);
};

describe('SuggestionsPanel', () => {
  it('shows nothing without suggestions', () => {
    const { container } = render(<SuggestionsPanel call={callAfter([started(1)])} send={recorder().send} />);
    expect(container.textContent).toBe('');
  });

  it('shows each article with its answer, confidence and why it was chosen', () => {
    render(<SuggestionsPanel call={twoCards()} send={recorder().send} />);
    const items = screen.getAllByRole('listitem').filter((li) => li.hasAttribute('data-article-id'));
    expect(items.map((li) => li.dataset.articleId)).toEqual(['kb-card-arrival', 'kb-track']);
    const first = card('kb-card-arrival');
    expect(first.getByRole('heading', { level: 3 }).textContent).toBe('Article kb-card-arrival');
    expect(first.getByTestId('suggestion-answer').textContent).toBe('Answer of kb-card-arrival: new cards arrive within 5 working days.');
    expect(first.getByLabelText('82% confidence').textContent).toBe('82%');
    const why = first.getByRole('list', { name: 'Why this was suggested' });
    expect(within(why).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Intent: Card arrival', 'Matched: card', 'Matched: arrive']);
  });

  it('marks an early list as such and shows the final list that replaces it', () => {
    const early = callAfter([started(1), suggestions(2, 'u1', 'early', [article('a')])]);
    const view = render(<SuggestionsPanel call={early} send={recorder().send} />);
    expect(screen.getByRole('heading', { level: 2 }).textContent).toContain('customer still speaking');
    view.rerender(<SuggestionsPanel call={callAfter([started(1), suggestions(2, 'u1', 'early', [article('a')]), suggestions(3, 'u1', 'final', [article('b')])])} send={recorder().send} />);
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Suggested answers');
    expect(document.querySelector('[data-article-id="a"]')).toBeNull();
    expect(document.querySelector('[data-article-id="b"]')).not.toBeNull();
  });

  it('sends used feedback once, with call, article and utterance', () => {
    const { sent, send } = recorder();
    render(<SuggestionsPanel call={twoCards()} send={send} />);
    const used = card('kb-card-arrival').getByRole('button', { name: 'Used' });
    fireEvent.click(used);
    fireEvent.click(used);
    expect(sent).toEqual([{ type: 'assist.feedback', callId: 'call-1', articleId: 'kb-card-arrival', utteranceId: 'u1', action: 'used' }]);
    expect(used.getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('status').textContent).toContain('as used');
  });

  it('dismiss and not helpful send their action and take the card away, keeping focus in the panel', () => {
    const { sent, send } = recorder();
    render(<SuggestionsPanel call={twoCards()} send={send} />);
    fireEvent.click(card('kb-card-arrival').getByRole('button', { name: 'Dismiss' }));
    expect(document.querySelector('[data-article-id="kb-card-arrival"]')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 2 }));
    fireEvent.click(card('kb-track').getByRole('button', { name: 'Not helpful' }));
    expect(sent.map((m) => m.type === 'assist.feedback' && [m.articleId, m.action])).toEqual([
      ['kb-card-arrival', 'dismissed'],
      ['kb-track', 'not_helpful'],
    ]);
    expect(screen.getByText('No other suggestions for this question.')).toBeTruthy();
  });

  it('copy puts the answer on the clipboard and then sends copied', async () => {
    const clipboard: string[] = [];
    const { sent, send } = recorder();
    render(<SuggestionsPanel call={twoCards()} send={send} copy={async (text) => (clipboard.push(text), true)} />);
    fireEvent.click(card('kb-track').getByRole('button', { name: 'Copy' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(clipboard).toEqual(['Answer of kb-track: new cards arrive within 5 working days.']);
    expect(sent[0]).toEqual({ type: 'assist.feedback', callId: 'call-1', articleId: 'kb-track', utteranceId: 'u1', action: 'copied' });
    expect(card('kb-track').getByRole('button', { name: 'Copied' })).toBeTruthy();
  });

  it('copy uses the browser clipboard by default', async () => {
    const written: string[] = [];
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (t: string) => void written.push(t) } });
    try {
      expect(await copyText('read this out')).toBe(true);
      expect(written).toEqual(['read this out']);
    } finally {
      Reflect.deleteProperty(navigator, 'clipboard');
    }
  });

  it('sends nothing and says so when copying fails or the socket is down', async () => {
    const { sent, send } = recorder();
    const view = render(<SuggestionsPanel call={twoCards()} send={send} copy={async () => false} />);
    fireEvent.click(card('kb-track').getByRole('button', { name: 'Copy' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('Could not copy'));
    expect(sent).toEqual([]);

    const closed = recorder(false);
    view.rerender(<SuggestionsPanel call={twoCards()} send={closed.send} copy={async () => true} />);
    fireEvent.click(card('kb-track').getByRole('button', { name: 'Dismiss' }));
    expect(screen.getByRole('status').textContent).toContain('Not sent');
    expect(document.querySelector('[data-article-id="kb-track"]')).not.toBeNull();
  });
});
