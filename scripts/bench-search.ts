/**
 * `npm run bench:search [-- --profiles fast,lean,full] [--codec pcmu|none] [--streams K]`
 *
 * PocketSphinx's search profiles (EARPIECE_POCKETSPHINX_SEARCH) side by side: for each, one decoder
 * (the telephone model, as an 8 kHz leg gets) decodes the same banking sentences, synthesized with
 * flite, band-limited to 8 kHz and passed through G.711 mu-law as on a phone line (--codec none
 * skips that), then resampled to 16 kHz as the server does. Prints JSON: CPU seconds per audio
 * second (process.cpuUsage, all threads; one decoder at a time, so nothing else competes) and the
 * word error rate against the script (Levenshtein over words). Partials are asked for after every
 * 100 ms, as a listening agent causes. Decoding is sequential: run it on a quiet machine.
 *
 * Then, for the first profile, what feeding many streams in turn costs (`interleaved`): K decoders
 * (default 16, the legs of 8 calls; --streams 0 skips it) each take 20 s of the same audio from a
 * different point, one chunk each in turn, with 20 ms chunks (every bridge frame on its own) and
 * with 100 ms chunks (EARPIECE_RECOGNIZER_BATCH_MS). Only CPU per audio second is compared: what
 * changes is how often each decoder's model has to come back into the CPU caches.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resampleAll } from '../assist-server/src/audio/resampler.ts';
import { REPO_ROOT } from '../assist-server/src/config.ts';
import { POCKETSPHINX_SEARCH_ARGS, PocketSphinxEngine, type PocketSphinxSearch } from '../assist-server/src/recognition/pocketsphinx/pocketsphinx-engine.ts';
import { synthesizeSpeech } from '../assist-server/src/testing/speech-audio.ts';
import { decodeG711, encodeG711 } from '../telephony-bridge/src/sources/rtp/g711.ts';

const { values } = parseArgs({ options: { profiles: { type: 'string' }, codec: { type: 'string', default: 'pcmu' }, streams: { type: 'string', default: '16' } } });
const streams = Number(values.streams);
if (!Number.isInteger(streams) || streams < 0) {
  process.stderr.write('bench:search: --streams takes a whole number (0 skips the interleaved run)\n');
  process.exit(2);
}
const profiles = (values.profiles?.split(',') ?? Object.keys(POCKETSPHINX_SEARCH_ARGS)) as PocketSphinxSearch[];
for (const p of profiles) {
  if (!(p in POCKETSPHINX_SEARCH_ARGS)) {
    process.stderr.write(`bench:search: unknown profile "${p}" (${Object.keys(POCKETSPHINX_SEARCH_ARGS).join(', ')})\n`);
    process.exit(2);
  }
}

const SENTENCES = [
  'thank you for calling how can I help you today',
  'I would like to check the balance of my account please',
  'sure I can help with that can you confirm your address',
  'I think there is a payment on my statement that I did not make',
  'I am sorry to hear that let me look at the recent transactions',
  'I lost my card yesterday and I think somebody stole it',
  'I will block the card now and send you a new one',
  'when will my new card arrive',
  'my account number is four five six seven and my date of birth is the third of may',
  'can you transfer five hundred dollars to my savings account',
  'the interest rate on the mortgage went up last month',
  'I would like to speak to a manager about this fee',
  'please hold while I check the details of your last payment',
  'the transaction was declined at the petrol station this morning',
  'could you reset my online banking password',
  'I need to report a fraudulent charge on my credit card',
  'we can waive the late fee this one time',
  'is there anything else I can help you with today',
  'I moved house last week and need to update my phone number',
  'the money has not arrived in my account yet',
  'how long does an international transfer usually take',
  'your new card will arrive within five working days',
  'I was charged twice for the same purchase',
  'can I increase the limit on my credit card',
  'thank you very much for your help have a nice day',
  'I want to close my account and move my money elsewhere',
  'the app keeps telling me my card is not supported',
  'let me transfer you to our mortgage team',
];
const STEP_SAMPLES = 1600; // 100 ms at 16 kHz

const clips: Int16Array[] = [];
for (const text of SENTENCES) {
  const { pcm } = await synthesizeSpeech(text, { sampleRateHz: 16000, padStartMs: 300, padEndMs: 900 });
  const narrow = resampleAll(pcm, 16000, 8000);
  const line = values.codec === 'none' ? narrow : decodeG711('PCMU', encodeG711('PCMU', narrow));
  clips.push(resampleAll(line, 8000, 16000));
}
const audioSeconds = clips.reduce((s, c) => s + c.length, 0) / 16000;
const cacheDir = join(REPO_ROOT, 'data', 'models');
mkdirSync(cacheDir, { recursive: true });

const results = [];
for (const search of profiles) {
  const engine = await PocketSphinxEngine.load({ cacheDir, search });
  const decoder = await engine.createDecoder({ inputSampleRateHz: 8000 });
  let errors = 0;
  let words = 0;
  const before = process.cpuUsage();
  for (let i = 0; i < clips.length; i++) {
    const clip = clips[i]!;
    const heard: string[] = [];
    for (let at = 0; at < clip.length; at += STEP_SAMPLES) {
      for (const ev of await decoder.accept(clip.subarray(at, at + STEP_SAMPLES))) if (ev.type === 'final') heard.push(...ev.words.map((w) => w.word));
    }
    for (const ev of await decoder.finish()) if (ev.type === 'final') heard.push(...ev.words.map((w) => w.word));
    const reference = SENTENCES[i]!.toLowerCase().split(' ');
    errors += wordEdits(reference, heard);
    words += reference.length;
  }
  const used = process.cpuUsage(before);
  await decoder.free();
  await engine.close();
  results.push({
    search,
    args: POCKETSPHINX_SEARCH_ARGS[search].join(' ') || '(PocketSphinx defaults)',
    cpuSecondsPerAudioSecond: round((used.user + used.system) / 1e6 / audioSeconds, 4),
    wordErrorRatePercent: round((errors / words) * 100, 1),
    wordErrors: errors,
  });
}

const INTERLEAVED_SECONDS = 20;
const interleaved =
  streams > 0
    ? {
        search: profiles[0]!,
        streams,
        audioSecondsPerStream: INTERLEAVED_SECONDS,
        cpuSecondsPerAudioSecond: {
          chunk20ms: await interleavedCost(profiles[0]!, streams, 320),
          chunk100ms: await interleavedCost(profiles[0]!, streams, 1600),
        },
      }
    : undefined;

process.stdout.write(
  JSON.stringify(
    {
      benchmark: 'search',
      engine: 'pocketsphinx (telephone model)',
      codec: values.codec === 'none' ? 'none (8 kHz band-limit only)' : 'G.711 mu-law',
      sentences: SENTENCES.length,
      referenceWords: SENTENCES.reduce((n, s) => n + s.split(' ').length, 0),
      audioSeconds: round(audioSeconds, 1),
      profiles: results,
      interleaved,
    },
    null,
    2,
  ) + '\n',
);

/** CPU-s per audio-s of `count` decoders fed `chunkSamples` (16 kHz) at a time, in turn. */
async function interleavedCost(search: PocketSphinxSearch, count: number, chunkSamples: number): Promise<number> {
  const all = new Int16Array(clips.reduce((n, c) => n + c.length, 0));
  clips.reduce((at, c) => (all.set(c, at), at + c.length), 0);
  const engine = await PocketSphinxEngine.load({ cacheDir, search });
  const decoders = [];
  for (let k = 0; k < count; k++) decoders.push(await engine.createDecoder({ inputSampleRateHz: 8000 }));
  const perStream = INTERLEAVED_SECONDS * 16000;
  let fed = 0;
  const before = process.cpuUsage();
  for (let at = 0; at < perStream; at += chunkSamples) {
    for (const [k, decoder] of decoders.entries()) {
      const from = (k * 7919 * 16 + at) % (all.length - chunkSamples); // each stream from its own point
      await decoder.accept(all.subarray(from, from + chunkSamples));
      fed += chunkSamples;
    }
  }
  for (const decoder of decoders) await decoder.finish();
  const used = process.cpuUsage(before);
  for (const decoder of decoders) await decoder.free();
  await engine.close();
  return round((used.user + used.system) / 1e6 / (fed / 16000), 4);
}

function wordEdits(reference: string[], heard: string[]): number {
  let row = Array.from({ length: heard.length + 1 }, (_, j) => j);
  for (let i = 1; i <= reference.length; i++) {
    const next = [i];
    for (let j = 1; j <= heard.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (reference[i - 1] === heard[j - 1] ? 0 : 1));
    row = next;
  }
  return row[heard.length]!;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
