/**
 * Compliance on the live call: the checklist of what the agent still owes (with the call time each
 * item is due by), and the warnings raised so far, newest first. Critical warnings are also read
 * out by screen readers through `ComplianceAnnouncer`, which lives outside this panel so its live
 * region exists before the first warning arrives.
 */
import type { ChecklistItem, ComplianceSeverity } from '@earpiece/assist-server/protocol';
import type { CallState } from '../../state/call-reducer.ts';
import { formatDuration } from '../../ui/format-duration.ts';
import { StatusBadge } from '../../ui/status-badge.tsx';
import type { StatusTone } from '../../ui/status-badge.tsx';

const ITEM_STATUS: Record<ChecklistItem['status'], { tone: StatusTone; label: string }> = {
  owed: { tone: 'warn', label: 'Owed' },
  done: { tone: 'good', label: 'Done' },
  missed: { tone: 'error', label: 'Missed' },
};

const SEVERITY: Record<ComplianceSeverity, { tone: StatusTone; label: string }> = {
  critical: { tone: 'error', label: 'Critical' },
  warning: { tone: 'warn', label: 'Warning' },
  info: { tone: 'neutral', label: 'Note' },
};

/** "due by 0:15" (call time), for an item that has a deadline. */
export function dueLabel(item: ChecklistItem): string | null {
  if (item.dueOffsetMs === null) return null;
  return `${item.status === 'owed' ? 'due by' : 'was due by'} ${formatDuration(item.dueOffsetMs)}`;
}

export function CompliancePanel({ call }: { call: CallState | null }) {
  if (!call || (call.checklist.length === 0 && call.warnings.length === 0)) return null;
  const warnings = [...call.warnings].reverse();
  const owed = call.checklist.filter((i) => i.status === 'owed').length;
  return (
    <section className="assist-panel compliance-panel" aria-labelledby="compliance-heading">
      <h2 id="compliance-heading" className="panel-heading">
        Compliance
        {call.checklist.length > 0 && <span className="panel-heading-note"> · {owed === 0 ? 'nothing owed' : `${owed} owed`}</span>}
      </h2>
      {call.checklist.length > 0 && (
        <ul className="checklist" aria-label="Checklist">
          {call.checklist.map((item) => {
            const status = ITEM_STATUS[item.status];
            const due = dueLabel(item);
            return (
              <li key={item.ruleId} className={`checklist-item checklist-${item.status}`} data-rule-id={item.ruleId}>
                <StatusBadge tone={status.tone}>{status.label}</StatusBadge> <span className="checklist-title">{item.title}</span>
                {due && <span className="muted small"> · {due}</span>}
              </li>
            );
          })}
        </ul>
      )}
      {warnings.length > 0 && (
        <ol className="warnings" aria-label="Warnings, newest first">
          {warnings.map((w) => {
            const severity = SEVERITY[w.severity];
            return (
              <li key={`${w.ruleId}@${w.offsetMs}@${w.utteranceId ?? ''}`} className={`warning warning-${w.severity}`} data-rule-id={w.ruleId}>
                <div className="warning-head">
                  <StatusBadge tone={severity.tone}>{severity.label}</StatusBadge> <strong>{w.title}</strong>{' '}
                  <span className="muted small">at {formatDuration(w.offsetMs)}</span>
                </div>
                <p className="warning-message">{w.message}</p>
                {w.evidence && (
                  <p className="muted small warning-evidence">
                    Heard{w.role ? ` (${w.role === 'agent' ? 'you' : 'customer'})` : ''}: “{w.evidence}”
                  </p>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

/**
 * An assertive live region that reads out the newest critical warning of the call. Always rendered
 * (empty when there is nothing to say) so assistive technology is already watching it.
 */
export function ComplianceAnnouncer({ call }: { call: CallState | null }) {
  const critical = call?.warnings.filter((w) => w.severity === 'critical') ?? [];
  const latest = critical.at(-1);
  return (
    <div className="visually-hidden" role="alert" aria-live="assertive" data-testid="compliance-announcer">
      {latest && !call?.ended ? `Compliance: ${latest.title}. ${latest.message}` : ''}
    </div>
  );
}
