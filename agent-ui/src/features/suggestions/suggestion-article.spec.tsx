import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, waitFor, within } from '@testing-library/react';
import type { AgentClientMessage, AgentServerMessage } from '@earpiece/assist-server/protocol';
import { callReducer, initialAgentState } from '../../state/call-reducer.ts';
import { selectActiveCall } from '../../state/select-active-call.ts';
import { article, started, suggestions } from '../../testing/agent-messages.ts';
import type { ArticleDetail } from './load-article.ts';
import { articleBlocks, SuggestionsPanel } from './suggestions-panel.tsx';

afterEach(cleanup);
const callAfter = (messages: AgentServerMessage[]) => selectActiveCall(messages.reduce(callReducer, initialAgentState));
const threeCards = () => callAfter([started(1), suggestions(2, 'u1', 'final', [article('a'), article('b'), article('c'), article('d')])]);

function recorder() {
  const sent: AgentClientMessage[] = [];
  return { sent, send: (m: AgentClientMessage) => (sent.push(m), true) };
}

/** An article store standing in for GET /api/kb/articles/:id; counts requests. */
function articles(bodies: Record<string, string>) {
  const requested: string[] = [];
  const load = async (id: string): Promise<ArticleDetail> => {
    requested.push(id);
    if (!(id in bodies)) throw new Error('This article was removed from the knowledge base.');
    return { id, title: `Article ${id}`, answer: '', body: bodies[id]! };
  };
  return { requested, load };
}

const card = (articleId: string) => within(document.querySelector<HTMLElement>(`[data-article-id="${articleId}"]`)!);
const altKey = (code: string, shiftKey = false) => fireEvent.keyDown(window, { code, key: code, altKey: true, shiftKey });

describe('suggestion articles and shortcuts', () => {
  it('expands a card to its article body, fetched once, bullets as a list', async () => {
    const store = articles({ a: 'Check the card first.\n\n- Freeze it\n- Order a new one' });
    render(<SuggestionsPanel call={threeCards()} send={recorder().send} loadArticle={store.load} />);
    const toggle = card('a').getByRole('button', { name: 'Article' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const body = await waitFor(() => card('a').getByTestId('article-body'));
    expect(within(body).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Freeze it', 'Order a new one']);
    expect(body.querySelector('p')?.textContent).toBe('Check the card first.');
    fireEvent.click(card('a').getByRole('button', { name: 'Hide article' }));
    fireEvent.click(card('a').getByRole('button', { name: 'Article' }));
    expect(store.requested).toEqual(['a']);
  });

  it('says so when the article cannot be loaded', async () => {
    const store = articles({});
    render(<SuggestionsPanel call={threeCards()} send={recorder().send} loadArticle={store.load} />);
    fireEvent.click(card('b').getByRole('button', { name: 'Article' }));
    await waitFor(() => expect(card('b').getByText(/Could not load the article/).textContent).toContain('removed from the knowledge base'));
  });

  it('Alt+2 marks the second card used, Alt+X dismisses the top card, Alt+O opens the top article', async () => {
    const { sent, send } = recorder();
    const store = articles({ b: 'Body of b' });
    render(<SuggestionsPanel call={threeCards()} send={send} loadArticle={store.load} />);
    expect(card('b').getByRole('button', { name: 'Used' }).getAttribute('aria-keyshortcuts')).toBe('Alt+2');
    expect(card('d').getByRole('button', { name: 'Used' }).getAttribute('aria-keyshortcuts')).toBeNull();
    altKey('Digit2');
    expect(sent).toEqual([{ type: 'assist.feedback', callId: 'call-1', articleId: 'b', utteranceId: 'u1', action: 'used' }]);
    expect(card('b').getByRole('button', { name: /Used/ }).getAttribute('aria-pressed')).toBe('true');
    altKey('KeyX');
    expect(sent.at(-1)).toMatchObject({ articleId: 'a', action: 'dismissed' });
    expect(document.querySelector('[data-article-id="a"]')).toBeNull();
    // b is on top now
    expect(card('b').getByRole('button', { name: 'Dismiss' }).getAttribute('aria-keyshortcuts')).toBe('Alt+X');
    altKey('KeyO');
    await waitFor(() => expect(card('b').getByTestId('article-body').textContent).toBe('Body of b'));
  });

  it('ignores shortcuts typed into a field and plain digits', () => {
    const { sent, send } = recorder();
    render(
      <>
        <input aria-label="notes" />
        <SuggestionsPanel call={threeCards()} send={send} />
      </>,
    );
    fireEvent.keyDown(document.querySelector('input')!, { code: 'Digit1', altKey: true });
    fireEvent.keyDown(window, { code: 'Digit1' });
    expect(sent).toEqual([]);
  });
});

describe('articleBlocks', () => {
  it('joins wrapped lines into paragraphs and groups bullets', () => {
    expect(articleBlocks('One\ntwo.\n\n* a\n- b\nThree')).toEqual([
      { kind: 'paragraph', text: 'One two.' },
      { kind: 'list', items: ['a', 'b'] },
      { kind: 'paragraph', text: 'Three' },
    ]);
  });
});
