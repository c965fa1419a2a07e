/**
 * Turn-taking between the two legs of a call: overlap, interruptions and long silences.
 *
 * Each leg's voice activity comes either from its audio ({@link LegActivity.pushAudio}: the energy
 * VAD of energy-vad.ts, 20 ms frames) or from outside, e.g. recognizer word times
 * ({@link LegActivity.addSpeech}). Both legs are assumed to share one clock (ms from call start).
 *
 * - Overlap: time in which both legs are in a speech span.
 * - Interruption by leg B: B starts a turn while the other leg A is mid-turn (A began at least
 *   {@link MID_TURN_MS} earlier), A keeps talking at least {@link MIN_INTERRUPTION_OVERLAP_MS} into
 *   B's turn, and B's turn lasts at least {@link MIN_INTERRUPTING_TURN_MS} (shorter overlaps are
 *   backchannels: "mm-hmm", "right"). Turns are speech spans joined across gaps up to
 *   {@link TURN_BRIDGE_MS}, so starting in the other side's short pause still counts.
 * - Long silence: both legs silent for at least `longSilenceMs` (default
 *   {@link DEFAULT_LONG_SILENCE_MS}), counted from the first speech of the call; a silence still
 *   going on at the end of what has been heard is reported with `ongoing: true`.
 */
import { EnergyVad, type SpeechSpan } from './energy-vad.ts';

export type Leg = 'agent' | 'customer';
export const LEGS: readonly Leg[] = ['agent', 'customer'];

export const TURN_BRIDGE_MS = 500;
export const MID_TURN_MS = 300;
export const MIN_INTERRUPTION_OVERLAP_MS = 200;
export const MIN_INTERRUPTING_TURN_MS = 800;
export const DEFAULT_LONG_SILENCE_MS = 5000;

export interface Interruption {
  /** The leg that cut in. */
  by: Leg;
  /** When its turn started, ms. */
  atMs: number;
  /** How long both talked from then on, ms. */
  overlapMs: number;
}

export interface Silence {
  startMs: number;
  endMs: number;
  /** Still silent at the end of what has been heard. */
  ongoing: boolean;
}

export interface LegActivityOptions {
  longSilenceMs?: number;
  turnBridgeMs?: number;
}

export class LegActivity {
  readonly longSilenceMs: number;
  private readonly turnBridgeMs: number;
  private readonly closed: Record<Leg, SpeechSpan[]> = { agent: [], customer: [] };
  private readonly vads: Partial<Record<Leg, EnergyVad>> = {};
  private heardMs = 0;

  constructor(options: LegActivityOptions = {}) {
    this.longSilenceMs = options.longSilenceMs ?? DEFAULT_LONG_SILENCE_MS;
    this.turnBridgeMs = options.turnBridgeMs ?? TURN_BRIDGE_MS;
  }

  /** Records that `leg` spoke from `startMs` to `endMs` (e.g. from word times); overlapping spans merge. */
  addSpeech(leg: Leg, startMs: number, endMs: number): void {
    if (!(endMs > startMs)) return;
    insertSpan(this.closed[leg], { startMs, endMs });
    this.heardMs = Math.max(this.heardMs, endMs);
  }

  /** Declares that both legs have been heard up to `ms` (lets a silence after the last word show as ongoing). */
  markHeard(ms: number): void {
    this.heardMs = Math.max(this.heardMs, ms);
  }

  /** Feeds a leg's audio, in order from call start, through its energy VAD. */
  pushAudio(leg: Leg, pcm: Int16Array, sampleRateHz: number): void {
    let vad = this.vads[leg];
    if (!vad) vad = this.vads[leg] = new EnergyVad(sampleRateHz);
    else if (vad.sampleRateHz !== sampleRateHz) throw new RangeError(`${leg} leg changed rate from ${vad.sampleRateHz} to ${sampleRateHz} Hz`);
    for (const span of vad.push(pcm)) insertSpan(this.closed[leg], span);
  }

  /** End of the call: closes spans still open in the VADs. */
  finish(): void {
    for (const leg of LEGS) {
      const vad = this.vads[leg];
      if (!vad) continue;
      this.heardMs = Math.max(this.heardMs, vad.positionMs);
      for (const span of vad.flush()) insertSpan(this.closed[leg], span);
    }
  }

  /** How far both legs have been heard: the lesser VAD position when audio is pushed, else the latest span or {@link markHeard}. */
  get heardUntilMs(): number {
    const positions = LEGS.map((leg) => this.vads[leg]?.positionMs).filter((p): p is number => p !== undefined);
    return positions.length > 0 ? Math.max(this.heardMs, Math.min(...positions)) : this.heardMs;
  }

  /** A leg's speech spans, with a span still in progress cut at its latest speech frame. */
  spans(leg: Leg): SpeechSpan[] {
    const out = this.closed[leg].slice();
    const vad = this.vads[leg];
    if (vad && vad.openSpanStartMs !== null && vad.openSpanLastSpeechMs > vad.openSpanStartMs) {
      insertSpan(out, { startMs: vad.openSpanStartMs, endMs: vad.openSpanLastSpeechMs });
    }
    return out;
  }

  /** Time both legs were speaking within [fromMs, toMs), ms. */
  overlapMs(fromMs = -Infinity, toMs = Infinity): number {
    return intersectionMs(this.spans('agent'), this.spans('customer'), fromMs, toMs);
  }

  /** Interruptions whose turn started within [fromMs, toMs), in time order. */
  interruptions(fromMs = -Infinity, toMs = Infinity): Interruption[] {
    const out: Interruption[] = [];
    const turns = { agent: bridge(this.spans('agent'), this.turnBridgeMs), customer: bridge(this.spans('customer'), this.turnBridgeMs) };
    for (const by of LEGS) {
      const other = turns[by === 'agent' ? 'customer' : 'agent'];
      for (const turn of turns[by]) {
        if (turn.startMs < fromMs || turn.startMs >= toMs) continue;
        if (turn.endMs - turn.startMs < MIN_INTERRUPTING_TURN_MS) continue;
        const held = other.find((t) => t.startMs <= turn.startMs - MID_TURN_MS && t.endMs >= turn.startMs + MIN_INTERRUPTION_OVERLAP_MS);
        if (held) out.push({ by, atMs: turn.startMs, overlapMs: Math.min(held.endMs, turn.endMs) - turn.startMs });
      }
    }
    return out.sort((a, b) => a.atMs - b.atMs);
  }

  /** Interruptions per leg that made them, within [fromMs, toMs). */
  interruptionCounts(fromMs = -Infinity, toMs = Infinity): Record<Leg, number> {
    const counts: Record<Leg, number> = { agent: 0, customer: 0 };
    for (const i of this.interruptions(fromMs, toMs)) counts[i.by]++;
    return counts;
  }

  /** Stretches of at least `longSilenceMs` with both legs silent, after the call's first speech. */
  longSilences(): Silence[] {
    const all = mergeSpans([...this.spans('agent'), ...this.spans('customer')]);
    const out: Silence[] = [];
    for (let i = 1; i < all.length; i++) {
      const gap = all[i]!.startMs - all[i - 1]!.endMs;
      if (gap >= this.longSilenceMs) out.push({ startMs: all[i - 1]!.endMs, endMs: all[i]!.startMs, ongoing: false });
    }
    const last = all.at(-1);
    const heard = this.heardUntilMs;
    if (last && heard - last.endMs >= this.longSilenceMs) out.push({ startMs: last.endMs, endMs: heard, ongoing: true });
    return out;
  }

  /**
   * How long both legs had been silent when something started at `atMs` (e.g. a customer
   * utterance): 0 when either leg was speaking within {@link SILENCE_SLACK_MS} before it, null when
   * nothing was said before it.
   */
  silenceBeforeMs(atMs: number): number | null {
    let lastEnd = -Infinity;
    for (const leg of LEGS) {
      for (const s of this.spans(leg)) {
        if (s.startMs >= atMs - SILENCE_SLACK_MS) break;
        lastEnd = Math.max(lastEnd, s.endMs);
      }
    }
    if (lastEnd === -Infinity) return null;
    return Math.max(0, atMs - lastEnd);
  }
}

/** Speech of the utterance's own leg that starts this close before the utterance's first word is the utterance itself. */
export const SILENCE_SLACK_MS = 300;

/** Inserts a span into a sorted, non-overlapping list, merging what it touches. */
function insertSpan(list: SpeechSpan[], span: SpeechSpan): void {
  let i = list.length;
  while (i > 0 && list[i - 1]!.startMs > span.startMs) i--;
  list.splice(i, 0, { ...span });
  // Merge with the previous span and following spans it touches.
  let at = i > 0 && list[i - 1]!.endMs >= span.startMs ? i - 1 : i;
  while (at + 1 < list.length && list[at + 1]!.startMs <= list[at]!.endMs) {
    list[at] = { startMs: list[at]!.startMs, endMs: Math.max(list[at]!.endMs, list[at + 1]!.endMs) };
    list.splice(at + 1, 1);
  }
}

function mergeSpans(spans: SpeechSpan[]): SpeechSpan[] {
  const out: SpeechSpan[] = [];
  for (const s of spans.slice().sort((a, b) => a.startMs - b.startMs)) insertSpan(out, s);
  return out;
}

/** Joins spans separated by gaps up to `gapMs` into turns. */
function bridge(spans: SpeechSpan[], gapMs: number): SpeechSpan[] {
  const out: SpeechSpan[] = [];
  for (const s of spans) {
    const last = out.at(-1);
    if (last && s.startMs - last.endMs <= gapMs) last.endMs = Math.max(last.endMs, s.endMs);
    else out.push({ ...s });
  }
  return out;
}

/** Total time in both sorted span lists, clipped to [fromMs, toMs). */
function intersectionMs(a: SpeechSpan[], b: SpeechSpan[], fromMs: number, toMs: number): number {
  let total = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i]!.startMs, b[j]!.startMs, fromMs);
    const end = Math.min(a[i]!.endMs, b[j]!.endMs, toMs);
    if (end > start) total += end - start;
    if (a[i]!.endMs < b[j]!.endMs) i++;
    else j++;
  }
  return total;
}
