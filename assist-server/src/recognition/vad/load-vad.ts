/** Loads voice-activity gating once per process, before the first call needs it, with a clear error. */
import type { Logger } from 'pino';
import { RecognitionError } from '../recognizer.ts';
import { startSileroVad } from './silero-detector.ts';
import type { VadSettings } from './vad-settings.ts';

export async function loadVad(settings: VadSettings, logger?: Logger): Promise<void> {
  if (settings.mode === 'off') {
    logger?.info({ vad: 'off' }, 'voice activity gating is off: recognizers decode every sample');
    return;
  }
  const started = performance.now();
  try {
    await startSileroVad();
  } catch (err) {
    throw new RecognitionError('EARPIECE_VAD_LOAD', `${(err as Error).message} (set EARPIECE_VAD=off to recognize without gating)`);
  }
  logger?.info(
    { vad: 'silero', paddingMs: settings.paddingMs, threshold: settings.threshold, loadMs: Math.round(performance.now() - started) },
    'voice activity gating: Silero VAD loaded',
  );
}
