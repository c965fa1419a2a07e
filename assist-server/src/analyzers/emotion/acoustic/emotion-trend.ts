/**
 * Per-call emotion trend over the customer's utterances, and escalation alerts.
 *
 * Each utterance's negativity (0..1) is the expected {@link NEGATIVITY} weight under its fused
 * scores (or, without scores, the label's weight blended toward neutral by 1 − confidence). The
 * trend is an exponential moving average with factor `alpha` per utterance (first utterance: its
 * own value).
 *
 * An escalation alert fires when either
 * - the smoothed score rose by at least `riseThreshold` above its lowest value within the last
 *   `windowMs` (reason "rising"), or
 * - the last `angryRun` utterances were all labelled angry (reason "persistent-anger"),
 * and at most once per escalation episode: after an alert the trend is disarmed until the
 * smoothed score falls to `rearmBelow` or lower and the angry run is broken.
 */
import { EMOTION_LABELS, toDistribution, type EmotionLabel, type EmotionScores } from './emotion-labels.ts';

/** How negative each label is for the escalation trend. */
export const NEGATIVITY: Readonly<Record<EmotionLabel, number>> = { angry: 1, frustrated: 0.8, sad: 0.5, confused: 0.35, neutral: 0.1, satisfied: 0 };

export const DEFAULT_TREND_ALPHA = 0.5;
export const DEFAULT_RISE_THRESHOLD = 0.35;
export const DEFAULT_TREND_WINDOW_MS = 60_000;
export const DEFAULT_ANGRY_RUN = 3;
export const DEFAULT_REARM_BELOW = 0.4;

export interface EmotionTrendOptions {
  alpha?: number;
  riseThreshold?: number;
  windowMs?: number;
  angryRun?: number;
  rearmBelow?: number;
}

export interface TrendUtterance {
  /** Utterance time on the call clock, ms (its end, typically). */
  atMs: number;
  label: EmotionLabel;
  confidence: number;
  scores?: Partial<EmotionScores>;
}

export interface EscalationAlert {
  atMs: number;
  reason: 'rising' | 'persistent-anger';
  /** Smoothed negativity now, and the low point within the window it rose from. */
  negativity: number;
  fromNegativity: number;
  /** Length of the angry run when the reason is persistent anger. */
  angryUtterances: number;
}

export interface TrendUpdate {
  /** This utterance's negativity, and the smoothed trend after it. */
  negativity: number;
  smoothed: number;
  alert: EscalationAlert | null;
}

export class EmotionTrend {
  private readonly alpha: number;
  private readonly riseThreshold: number;
  private readonly windowMs: number;
  private readonly angryRun: number;
  private readonly rearmBelow: number;
  private smoothedValue: number | null = null;
  private history: Array<{ atMs: number; smoothed: number }> = [];
  private angryCount = 0;
  private armed = true;

  constructor(options: EmotionTrendOptions = {}) {
    this.alpha = options.alpha ?? DEFAULT_TREND_ALPHA;
    this.riseThreshold = options.riseThreshold ?? DEFAULT_RISE_THRESHOLD;
    this.windowMs = options.windowMs ?? DEFAULT_TREND_WINDOW_MS;
    this.angryRun = options.angryRun ?? DEFAULT_ANGRY_RUN;
    this.rearmBelow = options.rearmBelow ?? DEFAULT_REARM_BELOW;
    if (!(this.alpha > 0 && this.alpha <= 1)) throw new RangeError('alpha must be in (0, 1]');
  }

  /** Smoothed negativity so far (null before the first utterance). */
  get smoothed(): number | null {
    return this.smoothedValue;
  }

  /** Adds one customer utterance's (fused) emotion; returns the trend and an alert if one fires now. */
  push(u: TrendUtterance): TrendUpdate {
    const negativity = negativityOf(u);
    const prev = this.smoothedValue;
    const smoothed = prev === null ? negativity : this.alpha * negativity + (1 - this.alpha) * prev;
    this.smoothedValue = smoothed;
    this.angryCount = u.label === 'angry' ? this.angryCount + 1 : 0;

    this.history = this.history.filter((h) => h.atMs >= u.atMs - this.windowMs);
    const low = this.history.reduce((m, h) => Math.min(m, h.smoothed), smoothed);
    this.history.push({ atMs: u.atMs, smoothed });

    if (!this.armed && smoothed <= this.rearmBelow && this.angryCount === 0) this.armed = true;
    let alert: EscalationAlert | null = null;
    if (this.armed) {
      const reason = smoothed - low >= this.riseThreshold ? 'rising' : this.angryCount >= this.angryRun ? 'persistent-anger' : null;
      if (reason) {
        alert = { atMs: u.atMs, reason, negativity: smoothed, fromNegativity: low, angryUtterances: this.angryCount };
        this.armed = false;
      }
    }
    return { negativity, smoothed, alert };
  }
}

/** Expected negativity of one utterance (see the module comment). */
export function negativityOf(u: Pick<TrendUtterance, 'label' | 'confidence' | 'scores'>): number {
  if (!u.scores) {
    const c = Math.min(1, Math.max(0, u.confidence));
    return c * NEGATIVITY[u.label] + (1 - c) * NEGATIVITY.neutral;
  }
  const p = toDistribution({ label: u.label, confidence: u.confidence, scores: u.scores });
  return EMOTION_LABELS.reduce((s, l) => s + p[l] * NEGATIVITY[l], 0);
}
