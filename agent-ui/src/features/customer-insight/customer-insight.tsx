/**
 * What the customer wants and how they feel, at a glance: the current intent (an early guess while
 * they are still speaking, then confirmed or revised), the emotion with the cues behind it, and an
 * alert when the call is escalating.
 */
import type { CallState } from '../../state/call-reducer.ts';
import { StatusBadge } from '../../ui/status-badge.tsx';

const EMOTION_TONE = { angry: 'error', frustrated: 'warn', sad: 'warn', confused: 'warn', neutral: 'neutral', satisfied: 'good' } as const;

/** `lost_or_stolen_card` → "Lost or stolen card". */
export function intentLabel(label: string): string {
  if (label === 'oos') return 'Outside what we handle';
  const text = label.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const percent = (x: number) => `${Math.round(x * 100)}%`;

export function CustomerInsight({ call }: { call: CallState | null }) {
  if (!call || (!call.intent && !call.emotion)) return null;
  const { intent, emotion } = call;
  const escalated = call.escalations.length > 0 && !call.ended;
  return (
    <section className="customer-insight" aria-label="Customer insight">
      {intent && (
        <p className="insight-intent" data-testid="intent">
          <span className="insight-label">Intent</span>{' '}
          <strong>{intent.prediction.lowConfidence && !intent.prediction.outOfScope ? 'Not sure yet' : intentLabel(intent.prediction.label)}</strong>{' '}
          <span className="muted">
            {percent(intent.prediction.confidence)}
            {intent.stage === 'early' ? ' · early guess' : intent.status === 'revised' ? ' · revised' : ''}
          </span>
        </p>
      )}
      {emotion && (
        <p className="insight-emotion" data-testid="emotion">
          <span className="insight-label">Customer</span>{' '}
          <StatusBadge tone={EMOTION_TONE[emotion.label]}>{emotion.label}</StatusBadge>
          {emotion.cues.length > 0 && <span className="muted"> {emotion.cues.join('; ')}</span>}
        </p>
      )}
      {escalated && (
        <p className="notice notice-error" role="alert">
          The customer is getting more upset. Acknowledge it, and consider offering a supervisor.
        </p>
      )}
    </section>
  );
}
