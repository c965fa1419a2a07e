/** Voice-activity gating before recognition (EARPIECE_VAD, EARPIECE_VAD_PADDING_MS, EARPIECE_VAD_THRESHOLD). */
export interface VadSettings {
  /** silero: recognizers see speech plus padding only; off: every sample goes to the recognizer. */
  mode: 'silero' | 'off';
  /** Audio kept before speech starts and after it ends (ms); silence longer than twice this is not decoded. */
  paddingMs: number;
  /** Silero speech probability (0..1) at which a window counts as speech. */
  threshold: number;
}

export const DEFAULT_VAD_SETTINGS: VadSettings = { mode: 'silero', paddingMs: 300, threshold: 0.5 };

/** Silero v5 windows: 32 ms, with the tail of the previous window prepended as context. */
export function sileroWindow(sampleRateHz: number): { windowSamples: number; contextSamples: number } | undefined {
  if (sampleRateHz === 16000) return { windowSamples: 512, contextSamples: 64 };
  if (sampleRateHz === 8000) return { windowSamples: 256, contextSamples: 32 };
  return undefined;
}
