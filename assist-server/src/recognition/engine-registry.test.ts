import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadSpeechEngine } from './engine-registry.ts';
import { writeSyntheticVoskModel } from './vosk/testing/synthetic-vosk-model.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'ep-engines-'));

test('auto picks Vosk when its model is installed', async () => {
  const dir = tmp();
  await writeSyntheticVoskModel(join(dir, 'vosk'));
  const engine = await loadSpeechEngine({ engine: 'auto', voskModelDir: join(dir, 'vosk'), cacheDir: join(dir, 'cache') });
  try {
    assert.equal(engine.name, 'vosk');
  } finally {
    await engine.close();
  }
});

test('auto falls back to PocketSphinx when no Vosk model is installed', async () => {
  const dir = tmp();
  const engine = await loadSpeechEngine({ engine: 'auto', voskModelDir: join(dir, 'none'), cacheDir: join(dir, 'cache') });
  try {
    assert.equal(engine.name, 'pocketsphinx');
    assert.equal(engine.sampleRateHz, 16000);
  } finally {
    await engine.close();
  }
});

test('no engine at all is one clear error naming both fixes; a forced Vosk without a model names setup', async () => {
  const dir = tmp();
  await assert.rejects(
    loadSpeechEngine({ engine: 'auto', voskModelDir: join(dir, 'none'), pocketsphinxModelDir: join(dir, 'nope'), cacheDir: dir }),
    (e: Error & { code?: string }) => e.code === 'EARPIECE_ASR_NO_ENGINE' && /npm run setup/.test(e.message) && /PocketSphinx/.test(e.message),
  );
  await assert.rejects(
    loadSpeechEngine({ engine: 'vosk', voskModelDir: join(dir, 'none'), cacheDir: dir }),
    (e: Error & { code?: string }) => e.code === 'EARPIECE_ASR_MODEL_MISSING' && /npm run setup/.test(e.message),
  );
});
