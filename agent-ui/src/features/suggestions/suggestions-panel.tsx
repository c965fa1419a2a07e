/**
 * Suggested answers for what the customer just asked: each article's read-out answer, how sure the
 * server is, and why it was chosen. The agent's feedback (used, copied, dismissed, not helpful) goes
 * back over the agent socket as `assist.feedback`, which shifts future ranking.
 */
import { useRef, useState } from 'react';
import type { AgentClientMessage, ArticleSuggestion } from '@earpiece/assist-server/protocol';
import type { SendClientMessage } from '../../connection/use-agent-session.ts';
import type { CallState } from '../../state/call-reducer.ts';
import { copyText } from '../../ui/copy-text.ts';
import { intentLabel } from '../customer-insight/customer-insight.tsx';

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
}

export function SuggestionsPanel({ call, send, copy = copyText }: SuggestionsPanelProps) {
  // Feedback already sent per card (utterance + article), so each action is sent once.
  const [sent, setSent] = useState<Record<string, FeedbackAction[]>>({});
  const [note, setNote] = useState<{ text: string; problem: boolean }>({ text: '', problem: false });
  const headingRef = useRef<HTMLHeadingElement>(null);
  const set = call?.suggestions;
  if (!call || !set) return null;
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

  const doneFor = (s: ArticleSuggestion) => sent[cardKey(callId, utteranceId, s.articleId)] ?? [];
  const visible = set.suggestions.filter((s) => !doneFor(s).some((a) => HIDES.has(a)));
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
          {visible.map((s) => (
            <SuggestionCard key={s.articleId} suggestion={s} done={doneFor(s)} onAction={(a) => void onAction(s, a)} />
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

function SuggestionCard({ suggestion, done, onAction }: { suggestion: ArticleSuggestion; done: FeedbackAction[]; onAction: (action: FeedbackAction) => void }) {
  const titleId = `suggestion-${suggestion.articleId}-title`;
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
        <button type="button" className="button button-small" onClick={() => onAction('used')} aria-pressed={used}>
          Used{used && <span aria-hidden="true"> ✓</span>}
        </button>
        <button type="button" className="button button-small button-quiet" onClick={() => onAction('copied')}>
          {done.includes('copied') ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="button button-small button-quiet" onClick={() => onAction('dismissed')}>
          Dismiss
        </button>
        <button type="button" className="button button-small button-quiet" onClick={() => onAction('not_helpful')}>
          Not helpful
        </button>
      </div>
    </li>
  );
}
