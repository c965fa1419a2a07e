/**
 * Maps a leg's audio clock (ms since call start) to the wall time that audio arrived, so a final
 * result's latency can be measured from the end of speech, not from the frame that happened to
 * trigger the endpoint. Keeps a bounded ring of (audioEndMs, receivedAtMs) marks.
 */
export class ReceiveClock {
  private readonly audioMs: Float64Array;
  private readonly wallMs: Float64Array;
  private count = 0;
  private head = 0;

  constructor(private readonly capacity = 3000) {
    this.audioMs = new Float64Array(capacity);
    this.wallMs = new Float64Array(capacity);
  }

  mark(audioEndMs: number, receivedAtMs: number): void {
    this.audioMs[this.head] = audioEndMs;
    this.wallMs[this.head] = receivedAtMs;
    this.head = (this.head + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** Wall time the audio at `audioMs` was received: the first mark whose audio end reaches it. */
  receivedAt(audioMs: number): number | undefined {
    let best: number | undefined;
    for (let i = 0; i < this.count; i++) {
      const idx = (this.head - 1 - i + this.capacity) % this.capacity;
      if (this.audioMs[idx]! >= audioMs) best = this.wallMs[idx];
      else break;
    }
    return best;
  }
}
