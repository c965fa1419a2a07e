/**
 * Archived calls to review: filters (dates, agent, intent, emotion, compliance warnings, duration)
 * and full-text search over the masked transcripts; newest first, more on request.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { ReviewCallRow } from '@earpiece/assist-server/protocol';
import { formatDuration } from '../../ui/format-duration.ts';
import { loadAgents, type AgentListing } from '../sign-in/load-agents.ts';
import { EMPTY_FILTERS, fetchCalls, type CallFilters } from './review-api.ts';

const PAGE = 50;
const EMOTIONS = ['angry', 'frustrated', 'confused', 'sad', 'neutral', 'satisfied'];

export function CallList() {
  const [draft, setDraft] = useState<CallFilters>(EMPTY_FILTERS);
  const [filters, setFilters] = useState<CallFilters>(EMPTY_FILTERS);
  const [rows, setRows] = useState<ReviewCallRow[]>([]);
  const [more, setMore] = useState(false);
  const [offset, setOffset] = useState(0);
  const [state, setState] = useState<{ kind: 'loading' | 'ok' } | { kind: 'error'; message: string }>({ kind: 'loading' });
  const [agents, setAgents] = useState<AgentListing[]>([]);

  useEffect(() => {
    const abort = new AbortController();
    loadAgents(fetch, abort.signal).then(setAgents, () => undefined);
    return () => abort.abort();
  }, []);

  useEffect(() => {
    const abort = new AbortController();
    setState({ kind: 'loading' });
    fetchCalls(filters, { limit: PAGE, offset }, abort.signal).then(
      (list) => {
        setRows((r) => (offset === 0 ? list.calls : [...r, ...list.calls]));
        setMore(list.more);
        setState({ kind: 'ok' });
      },
      (err: Error) => abort.signal.aborted || setState({ kind: 'error', message: err.message }),
    );
    return () => abort.abort();
  }, [filters, offset]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setOffset(0);
    setFilters({ ...draft });
  };
  const clear = () => {
    setDraft(EMPTY_FILTERS);
    setOffset(0);
    setFilters(EMPTY_FILTERS);
  };
  const field = <K extends keyof CallFilters>(key: K) => ({
    value: draft[key],
    onChange: (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value as CallFilters[K] })),
  });

  return (
    <div className="review-list">
      <h1>Call review</h1>
      <form className="review-filters assist-panel" role="search" aria-label="Find calls" onSubmit={apply}>
        <label className="review-search">
          <span>Search transcripts</span>
          <input className="input" type="search" placeholder="words the agent or customer said" {...field('q')} />
        </label>
        <label>
          <span>From</span>
          <input className="input" type="date" {...field('from')} />
        </label>
        <label>
          <span>To</span>
          <input className="input" type="date" {...field('to')} />
        </label>
        <label>
          <span>Agent</span>
          <select className="input" {...field('agentId')}>
            <option value="">Any agent</option>
            {agents.map((a) => (
              <option key={a.agentId} value={a.agentId}>
                {a.displayName}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Intent</span>
          <input className="input" type="text" placeholder="e.g. lost_or_stolen_card" {...field('intent')} />
        </label>
        <label>
          <span>Emotion</span>
          <select className="input" {...field('emotion')}>
            <option value="">Any</option>
            {EMOTIONS.map((e) => (
              <option key={e} value={e}>
                {e}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Compliance</span>
          <select className="input" {...field('compliance')}>
            <option value="">Any</option>
            <option value="true">With warnings</option>
            <option value="false">Without warnings</option>
          </select>
        </label>
        <label>
          <span>Min minutes</span>
          <input className="input" type="number" min={0} step="0.5" inputMode="decimal" {...field('minMinutes')} />
        </label>
        <label>
          <span>Max minutes</span>
          <input className="input" type="number" min={0} step="0.5" inputMode="decimal" {...field('maxMinutes')} />
        </label>
        <div className="review-filter-actions">
          <button type="submit" className="button">
            Find calls
          </button>
          <button type="button" className="button button-quiet" onClick={clear}>
            Clear
          </button>
        </div>
      </form>

      {state.kind === 'error' && (
        <p className="notice notice-error" role="alert">
          Could not list calls: {state.message}
        </p>
      )}
      <p className="muted small" role="status">
        {state.kind === 'loading' ? 'Loading calls…' : state.kind === 'ok' ? `${rows.length}${more ? '+' : ''} call${rows.length === 1 ? '' : 's'}` : ''}
      </p>
      {rows.length > 0 && (
        <table className="review-calls">
          <caption className="visually-hidden">Calls, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Call</th>
              <th scope="col">Started</th>
              <th scope="col">Agent</th>
              <th scope="col">Duration</th>
              <th scope="col">Intents</th>
              <th scope="col">Emotion</th>
              <th scope="col">Warnings</th>
              <th scope="col">QA</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <CallRow key={r.callId} row={r} />
            ))}
          </tbody>
        </table>
      )}
      {state.kind === 'ok' && rows.length === 0 && <p className="empty-state">No calls match.</p>}
      {more && (
        <button type="button" className="button button-quiet" onClick={() => setOffset(rows.length)} disabled={state.kind === 'loading'}>
          Show more calls
        </button>
      )}
    </div>
  );
}

function CallRow({ row }: { row: ReviewCallRow }) {
  return (
    <tr data-call-id={row.callId}>
      <td>
        <a href={`#/review/${encodeURIComponent(row.callId)}`} className="mono">
          {row.callId}
        </a>
        {!row.hasRecording && <span className="muted small"> (no recording)</span>}
        {row.matches && row.matches.length > 0 && (
          <ul className="review-matches small">
            {row.matches.map((m) => (
              <li key={m.utteranceId}>
                <span className="muted">
                  {m.role} {formatDuration(m.startMs)}:
                </span>{' '}
                <Snippet text={m.snippet} />
              </li>
            ))}
          </ul>
        )}
      </td>
      <td>{new Date(row.startedAtMs).toLocaleString()}</td>
      <td>{row.agentId}</td>
      <td className="num">{row.durationMs !== null ? formatDuration(row.durationMs) : '—'}</td>
      <td>{row.intents.filter((i) => i !== 'oos').join(', ') || '—'}</td>
      <td>{row.emotions.filter((e) => e !== 'neutral').join(', ') || '—'}</td>
      <td className="num">{row.complianceWarnings + row.escalations > 0 ? `${row.complianceWarnings} warn · ${row.escalations} esc` : '—'}</td>
      <td>{row.scoredBy.length > 0 ? `Scored (${row.scoredBy.length})` : '—'}</td>
    </tr>
  );
}

/** A search snippet: the server marks matched terms «like this». */
function Snippet({ text }: { text: string }) {
  const parts = text.split(/«|»/);
  return (
    <>
      {parts.map((p, i) => (i % 2 === 1 ? <mark key={i}>{p}</mark> : <span key={i}>{p}</span>))}
    </>
  );
}
