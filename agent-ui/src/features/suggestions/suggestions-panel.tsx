/**
 * Suggested answers for what the customer just asked: each article's read-out answer, how sure the
 * server is, and why it was chosen. The agent's feedback (used, copied, dismissed, not helpful) goes
 * back over the agent socket as `assist.feedback`, which shifts future ranking.
 */
import { useEffect, useRef, useState } from 'react';
import type { AgentClientMessage, ArticleSuggestion } from '@earpiece/assist-server/protocol';
import type { SendClientMessage } from '../../connection/use-agent-session.ts';
import type { CallState } from '../../state/call-reducer.ts';
import { copyText } from '../../ui/copy-text.ts';
import { intentLabel } from '../customer-insight/customer-insight.tsx';
import { deskShortcut, SHORTCUT_KEYS, NUMBERED_SUGGESTIONS } from '../desk/desk-shortcuts.ts';
import { loadArticle as defaultLoadArticle } from './load-article.ts';
import type { ArticleDetail, LoadArticle } from './load-article.ts';

export type FeedbackAction = Extract<AgentClientMessage, { type: 'assist.feedback' }>['action'];

/** Actions that take the card off the screen. */
const HIDES: ReadonlySet<FeedbackAction> = new Set(['dismissed', 'not_helpful']);

const percent = (x: number) => `${Math.round(x * 100)}%`;
const cardKey = (callId: string, utteranceId: string, articleId: string) => `${callId}\u0000${utteranceId}\u0000${articleId}`;

export interface SuggestionsPanelProps {
  call: CallState | null;
  send: SendClientMessage;
  /** Clipboard writer; the browser clipboard by default. */
  copy?: (text: string) => Promise<boolean>;
  /** Fetches an article's full text when a card is expanded; GET /api/kb/articles/:id by default. */
  loadArticle?: LoadArticle;
}

type ArticleView = { status: 'loading' } | { status: 'ready'; article: ArticleDetail } | { status: 'failed'; message: string };

export function SuggestionsPanel({ call, send, copy = copyText, loadArticle = defaultLoadArticle }: SuggestionsPanelProps) {
  // Feedback already sent per card (utterance + article), so each action is sent once.
  const [sent, setSent] = useState<Record<string, FeedbackAction[]>>({});
  const [note, setNote] = useState<{ text: string; problem: boolean }>({ text: '', problem: false });
  const [expanded, setExpanded] = useState<Record<string, boolean>>({});
  const [articles, setArticles] = useState<Record<string, ArticleView>>({});
  const headingRef = useRef<HTMLHeadingElement>(null);
  // The keyboard handler is registered once and calls whatever the latest render produced.
  const shortcutRef = useRef<((event: KeyboardEvent) => void) | null>(null);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => shortcutRef.current?.(event);
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
  const set = call?.suggestions;
  if (!call || !set) {
    shortcutRef.current = null;
    return null;
  }
  const { callId } = call;
  const { utteranceId } = set;

  const feedback = (article: ArticleSuggestion, action: FeedbackAction): boolean => {
    const key = cardKey(callId, utteranceId, article.articleId);
    if (sent[key]?.includes(action)) return true;
    if (!send({ type: 'assist.feedback', callId, articleId: article.articleId, utteranceId, action })) {
      setNote({ text: 'Not sent: the connection to the server is down. Try again in a moment.', problem: true });
      return false;
    }
    setSent((previous) => ({ ...previous, [key]: [...(previous[key] ?? []), action] }));
    return true;
  };

  const onAction = async (article: ArticleSuggestion, action: FeedbackAction) => {
    if (action === 'copied') {
      if (!(await copy(article.answer))) {
        setNote({ text: 'Could not copy to the clipboard. Select the answer text to copy it.', problem: true });
        return;
      }
      if (feedback(article, 'copied')) setNote({ text: `Copied the answer of “${article.title}”.`, problem: false });
      return;
    }
    if (!feedback(article, action)) return;
    if (HIDES.has(action)) {
      setNote({ text: action === 'dismissed' ? `Dismissed “${article.title}”.` : `Marked “${article.title}” not helpful. Thanks.`, problem: false });
      // The card's buttons are gone: keep keyboard focus in the panel.
      headingRef.current?.focus();
    } else {
      setNote({ text: `Marked “${article.title}” as used.`, problem: false });
    }
  };

  const toggleArticle = (articleId: string) => {
    const open = !expanded[articleId];
    setExpanded((previous) => ({ ...previous, [articleId]: open }));
    const view = articles[articleId];
    if (!open || view?.status === 'ready' || view?.status === 'loading') return;
    setArticles((previous) => ({ ...previous, [articleId]: { status: 'loading' } }));
    loadArticle(articleId).then(
      (article) => setArticles((previous) => ({ ...previous, [articleId]: { status: 'ready', article } })),
      (error: unknown) =>
        setArticles((previous) => ({ ...previous, [articleId]: { status: 'failed', message: error instanceof Error ? error.message : String(error) } })),
    );
  };

  const doneFor = (s: ArticleSuggestion) => sent[cardKey(callId, utteranceId, s.articleId)] ?? [];
  const visible = set.suggestions.filter((s) => !doneFor(s).some((a) => HIDES.has(a)));

  shortcutRef.current = (event) => {
    const shortcut = deskShortcut(event);
    if (!shortcut || shortcut.kind === 'summary') return;
    const target = 'index' in shortcut ? visible[shortcut.index] : visible[0];
    if (!target) return;
    event.preventDefault();
    if (shortcut.kind === 'use') void onAction(target, 'used');
    else if (shortcut.kind === 'copy') void onAction(target, 'copied');
    else if (shortcut.kind === 'dismiss') void onAction(target, 'dismissed');
    else toggleArticle(target.articleId);
  };
  return (
    <section className="assist-panel suggestions-panel" aria-labelledby="suggestions-heading">
      <h2 id="suggestions-heading" className="panel-heading" ref={headingRef} tabIndex={-1}>
        Suggested answers
        {set.stage === 'early' && <span className="panel-heading-note"> · customer still speaking</span>}
      </h2>
      {visible.length === 0 ? (
        <p className="muted small">No other suggestions for this question.</p>
      ) : (
        <ol className="suggestions">
          {visible.map((s, index) => (
            <SuggestionCard
              key={s.articleId}
              suggestion={s}
              position={index}
              done={doneFor(s)}
              onAction={(a) => void onAction(s, a)}
              expanded={expanded[s.articleId] ?? false}
              article={articles[s.articleId]}
              onToggleArticle={() => toggleArticle(s.articleId)}
            />
          ))}
        </ol>
      )}
      <p className="visually-hidden" role="status" aria-live="polite">
        {note.text}
      </p>
      {note.problem && (
        <p className="small panel-problem" aria-hidden="true">
          {note.text}
        </p>
      )}
    </section>
  );
}

interface SuggestionCardProps {
  suggestion: ArticleSuggestion;
  /** 0-based place in the visible list (number shortcuts for the first few, top-card shortcuts for 0). */
  position: number;
  done: FeedbackAction[];
  onAction: (action: FeedbackAction) => void;
  expanded: boolean;
  article: ArticleView | undefined;
  onToggleArticle: () => void;
}

function SuggestionCard({ suggestion, position, done, onAction, expanded, article, onToggleArticle }: SuggestionCardProps) {
  const titleId = `suggestion-${suggestion.articleId}-title`;
  const articleId = `suggestion-${suggestion.articleId}-article`;
  const numbered = position < NUMBERED_SUGGESTIONS;
  const top = position === 0;
  const used = done.includes('used');
  const { intent, matchedTerms } = suggestion.why;
  return (
    <li className={`suggestion${used ? ' suggestion-used' : ''}`} aria-labelledby={titleId} data-article-id={suggestion.articleId}>
      <div className="suggestion-head">
        <h3 id={titleId} className="suggestion-title">
          {suggestion.title}
        </h3>
        <span className="suggestion-confidence" aria-label={`${percent(suggestion.confidence)} confidence`}>
          {percent(suggestion.confidence)}
        </span>
      </div>
      <p className="suggestion-answer" data-testid="suggestion-answer">
        {suggestion.answer}
      </p>
      {(intent || matchedTerms.length > 0) && (
        <ul className="chips" aria-label="Why this was suggested">
          {intent && (
            <li className="chip chip-intent">
              <span className="visually-hidden">Intent: </span>
              {intentLabel(intent)}
            </li>
          )}
          {matchedTerms.map((term) => (
            <li key={term} className="chip">
              <span className="visually-hidden">Matched: </span>
              {term}
            </li>
          ))}
        </ul>
      )}
      <div className="suggestion-actions" role="group" aria-label={`Feedback on ${suggestion.title}`}>
        <button
          type="button"
          className="button button-small"
          onClick={() => onAction('used')}
          aria-pressed={used}
          aria-keyshortcuts={numbered ? SHORTCUT_KEYS.use(position + 1) : undefined}
        >
          Used{used && <span aria-hidden="true"> ✓</span>}
        </button>
        <button
          type="button"
          className="button button-small button-quiet"
          onClick={() => onAction('copied')}
          aria-keyshortcuts={numbered ? SHORTCUT_KEYS.copy(position + 1) : undefined}
        >
          {done.includes('copied') ? 'Copied' : 'Copy'}
        </button>
        <button
          type="button"
          className="button button-small button-quiet"
          onClick={onToggleArticle}
          aria-expanded={expanded}
          aria-controls={articleId}
          aria-keyshortcuts={top ? SHORTCUT_KEYS.article : undefined}
        >
          {expanded ? 'Hide article' : 'Article'}
        </button>
        <button type="button" className="button button-small button-quiet" onClick={() => onAction('dismissed')} aria-keyshortcuts={top ? SHORTCUT_KEYS.dismiss : undefined}>
          Dismiss
        </button>
        <button type="button" className="button button-small button-quiet" onClick={() => onAction('not_helpful')}>
          Not helpful
        </button>
      </div>
      <div id={articleId} className="suggestion-article" hidden={!expanded} aria-live="polite">
        {expanded && <ArticleBody view={article} />}
      </div>
    </li>
  );
}

function ArticleBody({ view }: { view: ArticleView | undefined }) {
  if (!view || view.status === 'loading') return <p className="muted small">Loading the article…</p>;
  if (view.status === 'failed') return <p className="small panel-problem">Could not load the article. {view.message}</p>;
  const blocks = articleBlocks(view.article.body);
  if (blocks.length === 0) return <p className="muted small">This article has no further guidance.</p>;
  return (
    <div className="article-body" data-testid="article-body">
      {blocks.map((block, i) =>
        block.kind === 'list' ? (
          <ul key={i}>
            {block.items.map((item, j) => (
              <li key={j}>{item}</li>
            ))}
          </ul>
        ) : (
          <p key={i}>{block.text}</p>
        ),
      )}
    </div>
  );
}

type ArticleBlock = { kind: 'paragraph'; text: string } | { kind: 'list'; items: string[] };

/** Article bodies are plain text: blank lines split paragraphs, lines starting `- ` or `* ` are bullets. */
export function articleBlocks(body: string): ArticleBlock[] {
  const blocks: ArticleBlock[] = [];
  for (const line of body.split('\n')) {
    const trimmed = line.trim();
    const last = blocks[blocks.length - 1];
    const bullet = /^[-*•]\s+(.*)$/.exec(trimmed);
    if (!trimmed) blocks.push({ kind: 'paragraph', text: '' });
    else if (bullet) {
      if (last?.kind === 'list') last.items.push(bullet[1]!);
      else blocks.push({ kind: 'list', items: [bullet[1]!] });
    } else if (last?.kind === 'paragraph' && last.text) last.text += ` ${trimmed}`;
    else if (last?.kind === 'paragraph') last.text = trimmed;
    else blocks.push({ kind: 'paragraph', text: trimmed });
  }
  return blocks.filter((b) => b.kind === 'list' || b.text);
}
