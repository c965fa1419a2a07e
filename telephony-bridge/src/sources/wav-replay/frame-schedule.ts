/**
 * 20 ms framing on an absolute clock. Frame k of a leg covers samples
 * [⌊k·rate/50⌋, ⌊(k+1)·rate/50⌋) and is due at start + k·20 ms, so rates that do not divide
 * evenly (11 025 Hz: 220 or 221 samples) never drift and both legs' frame k cover the same time.
 */
export const FRAME_MS = 20;
const FRAMES_PER_SECOND = 1000 / FRAME_MS;

/** First sample of frame k (its offsetSamples). */
export function frameStartSample(k: number, sampleRateHz: number): number {
  return Math.floor((k * sampleRateHz) / FRAMES_PER_SECOND);
}

/** Number of frames needed to carry `lengthSamples` (the last one may be short). */
export function frameCount(lengthSamples: number, sampleRateHz: number): number {
  if (lengthSamples <= 0) return 0;
  let k = Math.floor((lengthSamples * FRAMES_PER_SECOND) / sampleRateHz);
  while (frameStartSample(k, sampleRateHz) >= lengthSamples) k--;
  while (frameStartSample(k + 1, sampleRateHz) < lengthSamples) k++;
  return k + 1;
}

/** Frame k of a leg: its offset and a view of its samples (undefined past the end). */
export function frameAt(pcm: Int16Array, sampleRateHz: number, k: number): { offsetSamples: number; pcm: Int16Array } | undefined {
  const start = frameStartSample(k, sampleRateHz);
  if (k < 0 || start >= pcm.length) return undefined;
  const end = Math.min(pcm.length, frameStartSample(k + 1, sampleRateHz));
  return { offsetSamples: start, pcm: pcm.subarray(start, end) };
}

/** When frame k is due, on the same clock as `startMs`. */
export function frameDueMs(startMs: number, k: number): number {
  return startMs + k * FRAME_MS;
}

/** How long to wait before sending frame k (0 when it is already due or late). */
export function delayUntilFrameMs(startMs: number, k: number, nowMs: number): number {
  return Math.max(0, frameDueMs(startMs, k) - nowMs);
}
