/**
 * The QA scorecard: each criterion scored 0–5 or n/a (a radio group each: arrow keys move within
 * it, Tab to the next), a comment, Save. Every criterion must be scored before saving; the ones
 * left are named next to the button.
 */
import { useId, useState, type FormEvent } from 'react';
import type { QaCriterion, QaScore, QaScorecard, QaScores } from '@earpiece/assist-server/protocol';

export const QA_FORM: ReadonlyArray<{ id: QaCriterion; label: string; hint: string }> = [
  { id: 'greeting', label: 'Greeting', hint: 'Opening, name, recording notice' },
  { id: 'verification', label: 'Verification', hint: 'Identity checked before account details' },
  { id: 'accuracy', label: 'Accuracy', hint: 'Information given was correct' },
  { id: 'empathy', label: 'Empathy', hint: 'Acknowledged the customer, calm tone' },
  { id: 'compliance', label: 'Compliance', hint: 'Required statements, no forbidden promises' },
  { id: 'resolution', label: 'Resolution', hint: 'Issue resolved or correctly handed over' },
];

const OPTIONS: QaScore[] = [0, 1, 2, 3, 4, 5, 'n/a'];

type Draft = Partial<Record<QaCriterion, QaScore>>;

export interface ScorecardFormProps {
  initial: QaScorecard | null;
  onSave: (body: { scores: QaScores; comment: string }) => Promise<QaScorecard>;
}

export function ScorecardForm({ initial, onSave }: ScorecardFormProps) {
  const [scores, setScores] = useState<Draft>(() => ({ ...initial?.scores }));
  const [comment, setComment] = useState(initial?.comment ?? '');
  const [savedAt, setSavedAt] = useState<number | null>(initial?.updatedAtMs ?? null);
  const [state, setState] = useState<{ kind: 'idle' | 'saving' | 'saved' } | { kind: 'error'; message: string }>({ kind: 'idle' });
  const [dirty, setDirty] = useState(false);
  const idBase = useId();
  const missing = QA_FORM.filter((c) => scores[c.id] === undefined);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (missing.length > 0) {
      setState({ kind: 'error', message: `Score every item first (n/a where it does not apply): ${missing.map((c) => c.label).join(', ')}.` });
      return;
    }
    setState({ kind: 'saving' });
    try {
      const saved = await onSave({ scores: scores as QaScores, comment });
      setSavedAt(saved.updatedAtMs);
      setDirty(false);
      setState({ kind: 'saved' });
    } catch (err) {
      setState({ kind: 'error', message: `Not saved: ${(err as Error).message}` });
    }
  };

  const change = (update: () => void) => {
    update();
    setDirty(true);
    if (state.kind !== 'saving') setState({ kind: 'idle' });
  };

  return (
    <form className="scorecard" aria-labelledby={`${idBase}-h`} onSubmit={submit} noValidate>
      <h2 id={`${idBase}-h`} className="panel-heading">
        QA scorecard
      </h2>
      {QA_FORM.map((criterion) => (
        <fieldset key={criterion.id} className="score-row" aria-describedby={`${idBase}-${criterion.id}-hint`}>
          <legend className="score-label">{criterion.label}</legend>
          <p id={`${idBase}-${criterion.id}-hint`} className="score-hint muted small">
            {criterion.hint}
          </p>
          <div className="score-options">
            {OPTIONS.map((option) => (
              <label key={String(option)} className="score-option">
                <input
                  type="radio"
                  name={`${idBase}-${criterion.id}`}
                  value={String(option)}
                  checked={scores[criterion.id] === option}
                  onChange={() => change(() => setScores((s) => ({ ...s, [criterion.id]: option })))}
                />
                <span>{option}</span>
              </label>
            ))}
          </div>
        </fieldset>
      ))}
      <label className="score-comment">
        <span className="score-label">Comment</span>
        <textarea className="input" rows={3} maxLength={4000} value={comment} onChange={(e) => change(() => setComment(e.target.value))} />
      </label>
      <div className="scorecard-actions">
        <button type="submit" className="button" disabled={state.kind === 'saving'}>
          {state.kind === 'saving' ? 'Saving…' : 'Save scorecard'}
        </button>
        <p className="scorecard-status small" role="status">
          {state.kind === 'saved' && savedAt !== null && `Saved at ${new Date(savedAt).toLocaleTimeString()}.`}
          {state.kind === 'idle' && dirty && 'Unsaved changes.'}
          {state.kind === 'idle' && !dirty && savedAt !== null && `Last saved ${new Date(savedAt).toLocaleString()}.`}
        </p>
      </div>
      {state.kind === 'error' && (
        <p className="panel-problem" role="alert">
          {state.message}
        </p>
      )}
    </form>
  );
}
