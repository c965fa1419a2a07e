/**
 * The caller's previous calls, looked up by number at call start (masked by the server): when they
 * called, what about, how it ended, and any issue still open.
 */
import type { CallState } from '../../state/call-reducer.ts';
import { intentLabel } from '../customer-insight/customer-insight.tsx';

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

/** Previous calls listed; older ones are summarised as a count. */
export const MAX_PREVIOUS_CALLS_SHOWN = 5;

export function CustomerContextCard({ call }: { call: CallState | null }) {
  const context = call?.customerContext;
  if (!call || !context) return null;
  const calls = [...context.previousCalls].sort((a, b) => b.startedAtMs - a.startedAtMs);
  const shown = calls.slice(0, MAX_PREVIOUS_CALLS_SHOWN);
  const openIssues = calls.filter((c) => c.openIssue).length;
  return (
    <section className="assist-panel customer-context" aria-labelledby="customer-context-heading">
      <h2 id="customer-context-heading" className="panel-heading">
        Previous calls
        {openIssues > 0 && <span className="panel-heading-note"> · {openIssues === 1 ? '1 open issue' : `${openIssues} open issues`}</span>}
      </h2>
      {calls.length === 0 ? (
        <p className="muted small">First call from this number.</p>
      ) : (
        <ol className="previous-calls">
          {shown.map((c) => (
            <li key={c.callId} className="previous-call" data-call-id={c.callId}>
              <div>
                <time dateTime={new Date(c.startedAtMs).toISOString()}>{DATE.format(c.startedAtMs)}</time>
                {c.intents.length > 0 && <span> · {c.intents.map(intentLabel).join(', ')}</span>}
              </div>
              <div className="muted small">Outcome: {c.outcome ?? 'not recorded'}</div>
              {c.openIssue && (
                <div className="previous-call-open">
                  <strong>Open issue:</strong> {c.openIssue}
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
      {calls.length > shown.length && <p className="muted small">and {calls.length - shown.length} earlier</p>}
    </section>
  );
}
