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

/** How much the trend must move between readings to count as rising or easing. */
const TREND_STEP = 0.05;

/** Where the customer's mood is heading, from the last two trend points. */
export function trendDirection(points: number[]): 'rising' | 'easing' | 'steady' {
  if (points.length < 2) return 'steady';
  const delta = points[points.length - 1]! - points[points.length - 2]!;
  return delta >= TREND_STEP ? 'rising' : delta <= -TREND_STEP ? 'easing' : 'steady';
}

const DIRECTION_TEXT = { rising: 'getting more upset', easing: 'calming down', steady: 'steady' } as const;

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
      {call.intentTimeline.length > 1 && (
        <ol className="insight-timeline" aria-label="Intents so far in this call" data-testid="intent-timeline">
          {call.intentTimeline.map((r) => (
            <li key={r.utteranceId}>{intentLabel(r.prediction.label)}</li>
          ))}
        </ol>
      )}
      {emotion && (
        <p className="insight-emotion" data-testid="emotion">
          <span className="insight-label">Customer</span>{' '}
          <StatusBadge tone={EMOTION_TONE[emotion.label]}>{emotion.label}</StatusBadge>
          {emotion.cues.length > 0 && <span className="muted"> {emotion.cues.join('; ')}</span>}
        </p>
      )}
      {emotion && (
        <p className="insight-trend" data-testid="emotion-trend">
          <label htmlFor={`trend-${call.callId}`} className="insight-label">
            Upset
          </label>{' '}
          <meter id={`trend-${call.callId}`} min={0} max={1} low={0.35} high={0.65} optimum={0} value={emotion.trend}>
            {percent(emotion.trend)}
          </meter>{' '}
          <span className="muted">{DIRECTION_TEXT[trendDirection(call.emotionTrend)]}</span>
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
