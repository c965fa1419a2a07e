/**
 * Maps the recognizer's clock (samples it was fed, gaps removed) back to the stream's clock
 * (every sample written), so word times from a gated decoder are true call times.
 */
export class GapMap {
  /** Each run of contiguous audio: where it starts for the decoder and in the stream. */
  private readonly runs: Array<{ decoderStart: number; streamStart: number }> = [];
  private decoderEnd = 0;
  private streamEnd = -1;

  /** Samples the decoder was fed in all. */
  get decoderSamples(): number {
    return this.decoderEnd;
  }

  /** Records that `length` samples starting at stream sample `streamStart` went to the decoder. */
  fed(streamStart: number, length: number): void {
    if (length <= 0) return;
    if (streamStart !== this.streamEnd) this.runs.push({ decoderStart: this.decoderEnd, streamStart });
    this.decoderEnd += length;
    this.streamEnd = streamStart + length;
  }

  /**
   * The stream sample of decoder sample `d`. An end time exactly on a run boundary belongs to the
   * run before it (a word ends where its audio ends, not after the skipped gap).
   */
  toStream(d: number, isEnd = false): number {
    const runs = this.runs;
    if (runs.length === 0) return d;
    let lo = 0;
    let hi = runs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      const start = runs[mid]!.decoderStart;
      if (start < d || (!isEnd && start === d)) lo = mid;
      else hi = mid - 1;
    }
    const run = runs[lo]!;
    return run.streamStart + (d - run.decoderStart);
  }
}
