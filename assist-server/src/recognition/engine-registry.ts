/**
 * Chooses and loads the speech engine. `auto` (default): Vosk when its model is installed, else
 * PocketSphinx (Debian), else a clear error listing both fixes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { PocketSphinxSearch } from './pocketsphinx/pocketsphinx-engine.ts';
import { RecognitionError, type EngineName, type SpeechEngine } from './recognizer.ts';

export interface EngineSelection {
  engine: 'auto' | EngineName;
  voskModelDir: string;
  pocketsphinxModelDir?: string | undefined;
  /** PocketSphinx search pruning (default fast). */
  pocketsphinxSearch?: PocketSphinxSearch | undefined;
  /** Where engines may write model copies (PocketSphinx's telephone model). */
  cacheDir: string;
  logger?: Logger | undefined;
}

export async function loadSpeechEngine(selection: EngineSelection): Promise<SpeechEngine> {
  const { engine } = selection;
  if (engine === 'vosk') return loadVosk(selection);
  if (engine === 'pocketsphinx') return loadPocketSphinx(selection);

  if (existsSync(join(selection.voskModelDir, 'am/final.mdl'))) return loadVosk(selection);
  try {
    return await loadPocketSphinx(selection);
  } catch (err) {
    throw new RecognitionError(
      'EARPIECE_ASR_NO_ENGINE',
      `No speech engine is available. Vosk: no model at ${selection.voskModelDir} (run "npm run setup" with internet access, ` +
        `or set EARPIECE_ASSET_MIRROR / EARPIECE_VOSK_MODEL_DIR). PocketSphinx: ${(err as Error).message}`,
    );
  }
}

async function loadVosk(selection: EngineSelection): Promise<SpeechEngine> {
  const { VoskEngine } = await import('./vosk/vosk-engine.ts');
  const engine = await VoskEngine.load(selection.voskModelDir, { logger: selection.logger });
  selection.logger?.info({ engine: 'vosk', model: engine.modelDescription }, 'speech engine loaded');
  return engine;
}

async function loadPocketSphinx(selection: EngineSelection): Promise<SpeechEngine> {
  const { PocketSphinxEngine } = await import('./pocketsphinx/pocketsphinx-engine.ts');
  const engine = await PocketSphinxEngine.load({
    modelDir: selection.pocketsphinxModelDir,
    cacheDir: selection.cacheDir,
    logger: selection.logger,
    search: selection.pocketsphinxSearch,
  });
  selection.logger?.info({ engine: 'pocketsphinx', model: engine.modelDescription, search: selection.pocketsphinxSearch ?? 'fast' }, 'speech engine loaded');
  return engine;
}
