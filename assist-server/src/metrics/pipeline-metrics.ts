import { LatencyRecorder } from './latency-recorder.ts';

/**
 * Live-path measurements, read by the health endpoint and `npm run bench:asr`.
 * partialLatencyMs: audio frame received → its partial sent on an agent socket.
 * finalLatencyMs: end of speech (the frame holding the last word's end received) → final sent.
 */
export class PipelineMetrics {
  readonly partialLatencyMs = new LatencyRecorder();
  readonly finalLatencyMs = new LatencyRecorder();
  framesReceived = 0;
  framesDuplicate = 0;
  framesRejected = 0;
  eventsPushed = 0;

  reset(): void {
    this.partialLatencyMs.reset();
    this.finalLatencyMs.reset();
    this.framesReceived = this.framesDuplicate = this.framesRejected = this.eventsPushed = 0;
  }
}
