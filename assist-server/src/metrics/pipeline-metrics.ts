import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { LatencyRecorder } from './latency-recorder.ts';

/** One event-loop delay histogram per process (the loop is per process), on from the first PipelineMetrics; its timer is unref'd. */
const LOOP_SAMPLE_MS = 10;
const loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });

/**
 * Live-path measurements, read by the health endpoint and `npm run bench:asr`.
 * partialLatencyMs: audio frame received → its partial sent on an agent socket.
 * finalLatencyMs: end of speech (the frame holding the last word's end received) → final sent.
 * eventLoopDelayMs(): how late the process's event loop ran a timer (perf_hooks, sampled every 10 ms), since start or reset().
 */
export class PipelineMetrics {
  readonly partialLatencyMs = new LatencyRecorder();
  readonly finalLatencyMs = new LatencyRecorder();
  framesReceived = 0;
  framesDuplicate = 0;
  framesRejected = 0;
  eventsPushed = 0;

  constructor() {
    loopDelay.enable();
  }

  eventLoopDelayMs(): { p50: number; p99: number; max: number } {
    // The histogram holds the intervals between its timer's runs: the delay is what exceeds the sampling interval.
    const ms = (ns: number) => Math.max(0, Math.round((ns / 1e6 - LOOP_SAMPLE_MS) * 10) / 10);
    return { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) };
  }

  reset(): void {
    loopDelay.reset();
    this.partialLatencyMs.reset();
    this.finalLatencyMs.reset();
    this.framesReceived = this.framesDuplicate = this.framesRejected = this.eventsPushed = 0;
  }
}
