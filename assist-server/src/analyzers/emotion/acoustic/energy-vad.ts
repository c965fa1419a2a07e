/**
 * Energy voice-activity detection per 20 ms frame, streaming, for one leg. A frame is speech when
 * its level is at least {@link VAD_SNR_DB} above the tracked noise floor and above
 * {@link VAD_ABSOLUTE_GATE_DBFS}. The floor starts at the first frame's level, follows quieter
 * frames at once and rises slowly ({@link FLOOR_RISE_DB_PER_S}), so steady line noise is learned
 * but speech is not (a leg that opens mid-word is caught up at the first dip between words). A span of speech
 * ends after {@link VAD_HANGOVER_MS} without speech frames (so stop closures and short breaths stay
 * inside it); spans shorter than {@link VAD_MIN_SPEECH_MS} (clicks) are dropped.
 *
 * Good enough for turn-taking on separate agent and customer legs (that is what the telephony
 * bridge delivers); it is not a speech/noise classifier, so loud non-speech noise counts as speech.
 */
import { FULL_SCALE, LEVEL_FRAME_MS, samplesIn } from './frame-levels.ts';

export const VAD_SNR_DB = 12;
export const VAD_ABSOLUTE_GATE_DBFS = -50;
export const FLOOR_RISE_DB_PER_S = 3;
/** Levels below this (digital silence) are clamped here for floor tracking. */
export const VAD_FLOOR_MIN_DBFS = -90;
export const VAD_HANGOVER_MS = 200;
export const VAD_MIN_SPEECH_MS = 100;

export interface SpeechSpan {
  /** ms on the leg clock */
  startMs: number;
  endMs: number;
}

export interface EnergyVadOptions {
  /** Leg-clock time of the first sample pushed. Default 0. */
  startMs?: number;
  frameMs?: number;
  hangoverMs?: number;
  minSpeechMs?: number;
}

export class EnergyVad {
  readonly sampleRateHz: number;
  private readonly frameMs: number;
  private readonly frameSamples: number;
  private readonly hangoverMs: number;
  private readonly minSpeechMs: number;
  /** Samples of a frame not yet complete. */
  private readonly pending: Int16Array;
  private pendingLength = 0;
  /** Leg-clock time of the start of the next full frame. */
  private frameStartMs: number;
  /** Noise floor estimate, dBFS; starts at the first frame's level. */
  private floorDb: number | null = null;
  private openStartMs: number | null = null;
  private lastSpeechEndMs = 0;

  constructor(sampleRateHz: number, options: EnergyVadOptions = {}) {
    if (!(sampleRateHz > 0)) throw new RangeError('sampleRateHz must be positive');
    this.sampleRateHz = sampleRateHz;
    this.frameMs = options.frameMs ?? LEVEL_FRAME_MS;
    this.frameSamples = samplesIn(this.frameMs, sampleRateHz);
    this.hangoverMs = options.hangoverMs ?? VAD_HANGOVER_MS;
    this.minSpeechMs = options.minSpeechMs ?? VAD_MIN_SPEECH_MS;
    this.pending = new Int16Array(this.frameSamples);
    this.frameStartMs = options.startMs ?? 0;
  }

  /** Leg-clock time up to which audio has been analysed (whole frames). */
  get positionMs(): number {
    return this.frameStartMs;
  }

  /** Start of the speech span in progress, or null. */
  get openSpanStartMs(): number | null {
    return this.openStartMs;
  }

  /** End of the latest speech frame of the span in progress (valid when {@link openSpanStartMs} is set). */
  get openSpanLastSpeechMs(): number {
    return this.lastSpeechEndMs;
  }

  /** Feeds audio; returns the speech spans that ended within it. */
  push(pcm: Int16Array): SpeechSpan[] {
    const closed: SpeechSpan[] = [];
    let at = 0;
    while (at < pcm.length) {
      const take = Math.min(this.frameSamples - this.pendingLength, pcm.length - at);
      this.pending.set(pcm.subarray(at, at + take), this.pendingLength);
      this.pendingLength += take;
      at += take;
      if (this.pendingLength === this.frameSamples) {
        this.frame(this.pending, closed);
        this.pendingLength = 0;
      }
    }
    return closed;
  }

  /** End of stream: closes a span in progress (a partial trailing frame is ignored). */
  flush(): SpeechSpan[] {
    const closed: SpeechSpan[] = [];
    this.close(closed);
    return closed;
  }

  private frame(samples: Int16Array, closed: SpeechSpan[]): void {
    let sum = 0;
    for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
    const ms = sum / samples.length;
    const level = Math.max(VAD_FLOOR_MIN_DBFS, ms > 0 ? 10 * Math.log10(ms / (FULL_SCALE * FULL_SCALE)) : -Infinity);
    const floor = this.floorDb ?? level;
    const speech = level >= Math.max(VAD_ABSOLUTE_GATE_DBFS, floor + VAD_SNR_DB);
    // Floor: down at once, up slowly.
    this.floorDb = level < floor ? level : floor + (FLOOR_RISE_DB_PER_S * this.frameMs) / 1000;
    const start = this.frameStartMs;
    const end = start + this.frameMs;
    this.frameStartMs = end;
    if (speech) {
      if (this.openStartMs === null) this.openStartMs = start;
      this.lastSpeechEndMs = end;
    } else if (this.openStartMs !== null && end - this.lastSpeechEndMs >= this.hangoverMs) {
      this.close(closed);
    }
  }

  private close(closed: SpeechSpan[]): void {
    if (this.openStartMs === null) return;
    if (this.lastSpeechEndMs - this.openStartMs >= this.minSpeechMs) closed.push({ startMs: this.openStartMs, endMs: this.lastSpeechEndMs });
    this.openStartMs = null;
  }
}

/** Speech spans of a whole clip (batch form of {@link EnergyVad}). */
export function detectSpeech(pcm: Int16Array, sampleRateHz: number, options: EnergyVadOptions = {}): SpeechSpan[] {
  const vad = new EnergyVad(sampleRateHz, options);
  return [...vad.push(pcm), ...vad.flush()];
}
