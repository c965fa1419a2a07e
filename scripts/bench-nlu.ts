/**
 * `npm run bench:nlu [-- --utterances N] [--backends wasm,cpu]`
 *
 * The live NLU path as calls use it (NluService: models in a worker thread, micro-batching), once per
 * TensorFlow.js backend installed here. Per backend it prints JSON with:
 * - batch 1: one utterance at a time, intent and emotion together (what one call sees when it is
 *   alone): p50/p95 ms per utterance, measured from the caller's side (worker hop included);
 * - batched: N utterances submitted at once, as many live calls would, micro-batched into model
 *   calls of up to 64: utterances per second and the mean batch size.
 * Utterances are BANKING77-style questions and GoEmotions-style remarks written here.
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { NluService } from '../assist-server/src/inference/nlu-service.ts';
import { defaultEmotionModelDir } from '../assist-server/src/analyzers/emotion/text/emotion-text-model.ts';
import { defaultIntentModelDir } from '../assist-server/src/analyzers/intent/intent-model.ts';
import type { TfBackendName } from '../assist-server/src/inference/tf-runtime.ts';
import { startProcessProbe } from './bench/process-probe.ts';

const { values } = parseArgs({ options: { utterances: { type: 'string', default: '2000' }, backends: { type: 'string', default: 'tensorflow-gpu,tensorflow,wasm,cpu' } } });
const total = Number(values.utterances);
const logger = pino({ level: 'warn' }, pino.destination(2)); // logs to stderr: stdout is the JSON

const TEXTS = [
  'i lost my card yesterday and i think someone stole it',
  'why has my transfer not arrived yet',
  'how do i activate the new card you sent me',
  'there is a payment on my statement i did not make',
  'can i change my pin at an atm',
  'this is ridiculous nobody ever helps me',
  'thank you so much that was really helpful',
  'i am confused about the fee on my account',
  'what is the exchange rate for euros',
  'my card got declined at the shop today',
  'how long does a top up take to show',
  'i want to close my account',
];

const q = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))]! * 1000) / 1000;
};

const results: unknown[] = [];
for (const backend of values.backends.split(',') as TfBackendName[]) {
  let nlu: NluService;
  try {
    nlu = await NluService.start({ intentModelDir: defaultIntentModelDir(), emotionModelDir: defaultEmotionModelDir(), backends: [backend], batchWindowMs: 0, maxBatch: 64, logger });
  } catch (err) {
    results.push({ backend, available: false, why: (err as Error).message.split('\n')[0] });
    continue;
  }
  if (!nlu.intentModelVersion || !nlu.emotionModelVersion) throw new Error('models missing: run npm run setup');
  // warm-up
  for (const t of TEXTS) await Promise.all([nlu.intent(t), nlu.emotion(t)]);
  const probe = startProcessProbe();
  const single: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t0 = performance.now();
    await Promise.all([nlu.intent(TEXTS[i % TEXTS.length]!), nlu.emotion(TEXTS[i % TEXTS.length]!)]);
    single.push(performance.now() - t0);
  }
  const before = nlu.batchStats();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: total }, (_, i) => Promise.all([nlu.intent(TEXTS[i % TEXTS.length]!), nlu.emotion(TEXTS[(i + 3) % TEXTS.length]!)])));
  const seconds = (performance.now() - t0) / 1000;
  const after = nlu.batchStats();
  const proc = probe.stop();
  results.push({
    backend: nlu.info.backend,
    available: true,
    models: { intent: nlu.intentModelVersion, emotion: nlu.emotionModelVersion },
    batch1IntentPlusEmotionMs: { n: single.length, p50: q(single, 0.5), p95: q(single, 0.95), max: q(single, 1) },
    batched: {
      utterances: total,
      utterancesPerS: Math.round(total / seconds),
      meanIntentBatch: Math.round(((after.intent.items - before.intent.items) / Math.max(1, after.intent.batches - before.intent.batches)) * 10) / 10,
    },
    process: proc,
  });
  await nlu.close();
}
console.log(JSON.stringify({ bench: 'nlu', results }, null, 2));
