/**
 * Redacts PII from one leg's recording: the recorder hands every chunk here just before it reaches
 * the disk, and each span added from a final's entities (word times, plus a margin either side) is
 * overwritten with silence or a quiet 1 kHz tone, so a listener hears that something was removed.
 */
export type RedactionFill = 'silence' | 'tone';

export interface AudioRedactorOptions {
  sampleRateHz: number;
  /** Added before and after each span: word times from a recognizer are approximate. */
  marginMs: number;
  fill: RedactionFill;
}

/** Tone level: 0.1 of full scale (-20 dBFS), clearly audible, never loud in a headset. */
export const REDACTION_TONE_AMPLITUDE = Math.round(0.1 * 32767);
export const REDACTION_TONE_HZ = 1000;

export class AudioRedactor {
  /** Sample ranges [start, end), sorted, non-overlapping. */
  private spans: Array<[number, number]> = [];

  constructor(private readonly options: AudioRedactorOptions) {}

  /** Marks [startMs, endMs) on the leg clock, widened by the margin. */
  add(startMs: number, endMs: number): void {
    const { sampleRateHz, marginMs } = this.options;
    const start = Math.max(0, Math.floor(((startMs - marginMs) / 1000) * sampleRateHz));
    const end = Math.ceil(((endMs + marginMs) / 1000) * sampleRateHz);
    if (end <= start) return;
    const merged: Array<[number, number]> = [];
    let cur: [number, number] = [start, end];
    for (const s of this.spans) {
      if (s[1] < cur[0] || s[0] > cur[1]) merged.push(s);
      else cur = [Math.min(s[0], cur[0]), Math.max(s[1], cur[1])];
    }
    merged.push(cur);
    this.spans = merged.sort((a, b) => a[0] - b[0]);
  }

  /** Overwrites the spans inside a chunk that starts at `startSample`; returns how many samples it replaced. */
  apply(pcm: Int16Array, startSample: number): number {
    const chunkEnd = startSample + pcm.length;
    let replaced = 0;
    for (const [s, e] of this.spans) {
      if (e <= startSample) continue;
      if (s >= chunkEnd) break;
      replaced += this.fill(pcm, startSample, Math.max(s, startSample), Math.min(e, chunkEnd));
    }
    // spans wholly behind this chunk will never be needed again: audio is written in order
    while (this.spans.length && this.spans[0]![1] <= chunkEnd) this.spans.shift();
    return replaced;
  }

  /** Overwrites [from, to) (absolute samples) of a chunk starting at `startSample`. */
  fill(pcm: Int16Array, startSample: number, from: number, to: number): number {
    const { fill, sampleRateHz } = this.options;
    for (let n = from; n < to; n++) {
      pcm[n - startSample] = fill === 'tone' ? Math.round(REDACTION_TONE_AMPLITUDE * Math.sin((2 * Math.PI * REDACTION_TONE_HZ * n) / sampleRateHz)) : 0;
    }
    return Math.max(0, to - from);
  }
}
