/**
 * `earpiece transcribe FILE.wav [--engine vosk|pocketsphinx] [--json] [--raw]`: runs a file through
 * the live streaming path (resampler, recognizer in 20 ms frames, PII masking) at full speed and
 * prints only the final transcript. `--raw` skips masking (for checking the recognizer itself). Mono = one leg (customer); stereo = channel 0 agent,
 * channel 1 customer.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { PiiTranscriptMasker } from '../analyzers/pii-masker/pii-transcript-masker.ts';
import { PassThroughMasker } from '../analyzers/pii-masker/transcript-masker.ts';
import { readWav } from '../audio/wav-file.ts';
import { loadConfig, type EngineChoice } from '../config.ts';
import { loadSpeechEngine } from '../recognition/engine-registry.ts';
import { transcribeAudio } from './transcribe-audio.ts';
import type { CliCommand } from './main.ts';

export const transcribeCommand: CliCommand = {
  summary: 'transcribe a WAV file (any rate, mono or stereo) with the live streaming path',
  usage: 'earpiece transcribe FILE.wav [--engine vosk|pocketsphinx] [--json] [--raw]',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { engine: { type: 'string' }, json: { type: 'boolean', default: false }, raw: { type: 'boolean', default: false } },
    });
    const file = positionals[0];
    if (!file) {
      process.stderr.write(`usage: ${this.usage}\n`);
      return 2;
    }
    const config = loadConfig();
    const engineChoice = (values.engine ?? config.engine) as EngineChoice;
    if (!['auto', 'vosk', 'pocketsphinx'].includes(engineChoice)) {
      process.stderr.write(`--engine must be vosk or pocketsphinx\n`);
      return 2;
    }
    const logger = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel }, pino.destination(2));
    const audio = await readWav(file);
    const engine = await loadSpeechEngine({
      engine: engineChoice,
      voskModelDir: config.voskModelDir,
      pocketsphinxModelDir: config.pocketsphinxModelDir,
      pocketsphinxSearch: config.pocketsphinxSearch,
      cacheDir: join(config.dataDir, 'models'),
      logger,
    });
    try {
      const masker = values.raw ? new PassThroughMasker() : new PiiTranscriptMasker({ lang: config.pii.lang, policy: config.pii.policy });
      const result = await transcribeAudio(engine, audio, masker);
      if (values.json) {
        process.stdout.write(JSON.stringify({ engine: engine.name, file, ...result }, null, 2) + '\n');
      } else {
        const stereo = audio.channels.length > 1;
        for (const u of result.utterances) process.stdout.write(`${stereo ? `${u.leg}: ` : ''}${u.text}\n`);
      }
      return 0;
    } finally {
      await engine.close();
    }
  },
};
