/** The call's events in time order (intent changes, warnings, emotion shifts, escalations, holds); each plays the call from there. */
import type { ReviewTimelineEntry } from '@earpiece/assist-server/protocol';
import { formatDuration } from '../../ui/format-duration.ts';

const KIND_LABEL: Record<ReviewTimelineEntry['kind'], string> = {
  intent: 'Intent',
  compliance: 'Compliance',
  emotion: 'Emotion',
  escalation: 'Escalation',
  hold: 'Hold',
};

export function toneOf(entry: ReviewTimelineEntry): 'warn' | 'error' | 'neutral' {
  if (entry.severity === 'critical') return 'error';
  if (entry.severity === 'warning' || entry.kind === 'escalation') return 'warn';
  return 'neutral';
}

export function EventTimeline({ entries, onSeekMs }: { entries: ReviewTimelineEntry[]; onSeekMs: (ms: number) => void }) {
  return (
    <section className="assist-panel" aria-labelledby="replay-events-h">
      <h2 id="replay-events-h" className="panel-heading">
        Events
      </h2>
      {entries.length === 0 ? (
        <p className="muted small">No intent changes, warnings, emotion shifts or holds were recorded.</p>
      ) : (
        <ol className="replay-events">
          {entries.map((e, i) => (
            <li key={i} className={`replay-event replay-event-${toneOf(e)}`} data-kind={e.kind}>
              <button type="button" className="replay-event-button" onClick={() => onSeekMs(e.offsetMs)}>
                <span className="replay-event-time">{formatDuration(e.offsetMs)}</span>
                <span className="replay-event-kind">{KIND_LABEL[e.kind]}</span>
                <span className="replay-event-label">{e.label}</span>
              </button>
              {e.detail && <p className="replay-event-detail small">{e.detail}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
