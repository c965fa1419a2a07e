/**
 * `npm run bench:pii [-- --rounds N]`
 *
 * Masking cost per utterance, as the live path pays it: every line of the labelled sets
 * (assist-server/src/analyzers/pii-masker/fixtures/*.jsonl, English and Mandarin) goes through
 * PiiTranscriptMasker.maskFinal with recognizer-style word times, and each of its prefixes through
 * maskPartial (a recognizer sends a partial per new word). Long utterances (three lines joined)
 * show how it scales. Prints JSON: p50/p95/p99/max in ms per final, per partial and per long
 * final, and throughput (finals per second on one core). The first round is warm-up.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PiiTranscriptMasker } from '../assist-server/src/analyzers/pii-masker/pii-transcript-masker.ts';
import { REPO_ROOT } from '../assist-server/src/config.ts';
import type { RecognizedWord } from '../assist-server/src/recognition/recognizer.ts';
import { startProcessProbe } from './bench/process-probe.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '20' } } });
const rounds = Math.max(2, Number(values.rounds));
const dir = join(REPO_ROOT, 'assist-server/src/analyzers/pii-masker/fixtures');

interface Utterance {
  lang: 'en' | 'zh';
  words: RecognizedWord[];
}
const utterances: Utterance[] = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl'))) {
  const lang = file.includes('.zh.') ? 'zh' : 'en';
  for (const line of readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean)) {
    const text = (JSON.parse(line) as { text: string }).text;
    utterances.push({ lang, words: text.split(' ').map((word, i) => ({ word, startMs: i * 300, endMs: i * 300 + 250, confidence: 0.9 })) });
  }
}
const long: Utterance[] = [];
for (let i = 0; i + 2 < utterances.length; i += 3) {
  const [a, b, c] = [utterances[i]!, utterances[i + 1]!, utterances[i + 2]!];
  if (a.lang === b.lang && b.lang === c.lang) long.push({ lang: a.lang, words: [...a.words, ...b.words, ...c.words] });
}
const maskers = { en: new PiiTranscriptMasker({ lang: 'en' }), zh: new PiiTranscriptMasker({ lang: 'zh' }) };

const finalMs: number[] = [];
const partialMs: number[] = [];
const longMs: number[] = [];
let sink = 0;
const probe = startProcessProbe();
let measuredFinals = 0;
let measuredFinalTime = 0;
for (let round = 0; round < rounds; round++) {
  const keep = round > 0;
  for (const u of utterances) {
    const masker = maskers[u.lang];
    const text = u.words.map((w) => w.word).join(' ');
    for (let n = 1; n <= u.words.length; n++) {
      const t0 = performance.now();
      sink += masker.maskPartial('customer', u.words.slice(0, n).map((w) => w.word).join(' ')).length;
      if (keep) partialMs.push(performance.now() - t0);
    }
    const t0 = performance.now();
    sink += masker.maskFinal('customer', text, u.words).entities.length;
    const dt = performance.now() - t0;
    if (keep) (finalMs.push(dt), (measuredFinals += 1), (measuredFinalTime += dt));
  }
  for (const u of long) {
    const t0 = performance.now();
    sink += maskers[u.lang].maskFinal('customer', u.words.map((w) => w.word).join(' '), u.words).entities.length;
    if (keep) longMs.push(performance.now() - t0);
  }
}
const proc = probe.stop();

function stats(xs: number[]): { n: number; p50: number; p95: number; p99: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))]! * 1000) / 1000;
  return { n: s.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: Math.round(s[s.length - 1]! * 1000) / 1000 };
}
const avgWords = (us: Utterance[]) => Math.round((us.reduce((n, u) => n + u.words.length, 0) / us.length) * 10) / 10;

console.log(
  JSON.stringify(
    {
      bench: 'pii',
      utterances: utterances.length,
      rounds,
      wordsPerUtterance: avgWords(utterances),
      finalMs: stats(finalMs),
      partialMs: stats(partialMs),
      longFinal: { wordsPerUtterance: avgWords(long), ms: stats(longMs) },
      throughputFinalsPerS: Math.round(measuredFinals / (measuredFinalTime / 1000)),
      process: proc,
      checksum: sink,
    },
    null,
    2,
  ),
);
