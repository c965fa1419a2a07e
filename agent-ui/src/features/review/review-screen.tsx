/**
 * The reviewer replay (`#/review`, `#/review/<callId>`): archived calls with filters and search,
 * and one call's recording, synced transcript, events and QA scorecard.
 * Who is reviewing is typed here and sent with each request (recorded in the audit log); it is
 * taken on trust until sign-in lands (issue 8).
 */
import { useState, type FormEvent } from 'react';
import { CallList } from './call-list.tsx';
import { CallPage } from './call-page.tsx';
import { useStoredReviewer } from './stored-reviewer.ts';
import './review.css';

export function ReviewScreen({ callId }: { callId?: string | null }) {
  const [reviewer, setReviewer] = useStoredReviewer();
  return (
    <div className="review">
      <ReviewerBar reviewer={reviewer} onChange={setReviewer} />
      {!callId ? (
        <CallList />
      ) : reviewer ? (
        <CallPage key={`${callId}\u0000${reviewer}`} callId={callId} reviewer={reviewer} />
      ) : (
        <p className="notice">Enter your name above to open this call: every replay is recorded in the audit log.</p>
      )}
    </div>
  );
}

function ReviewerBar({ reviewer, onChange }: { reviewer: string; onChange: (name: string) => void }) {
  const [draft, setDraft] = useState(reviewer);
  const [editing, setEditing] = useState(!reviewer);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!draft.trim()) return;
    onChange(draft);
    setEditing(false);
  };
  if (!editing) {
    return (
      <div className="reviewer-bar">
        <span>
          Reviewing as <strong data-testid="reviewer-name">{reviewer}</strong>
        </span>
        <button type="button" className="button button-quiet button-small" onClick={() => setEditing(true)}>
          Change
        </button>
      </div>
    );
  }
  return (
    <form className="reviewer-bar" onSubmit={submit}>
      <label htmlFor="reviewer-name-input">Your name (for the audit log)</label>
      <input id="reviewer-name-input" className="input" value={draft} maxLength={64} onChange={(e) => setDraft(e.target.value)} />
      <button type="submit" className="button button-small">
        Start reviewing
      </button>
    </form>
  );
}
