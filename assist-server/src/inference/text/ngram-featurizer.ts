/**
 * fastText-style features of a normalized utterance: word n-grams (1..wordNgrams) and character
 * n-grams (charMin..charMax) of each word wrapped as `<word>`. Features are looked up in a
 * vocabulary built from the training texts (features seen fewer than minCount times are left out);
 * unknown features are skipped at prediction time. Index 0 is padding.
 */
import { words as splitWords } from './normalize-text.ts';

export interface FeaturizerConfig {
  wordNgrams: number;
  charMin: number;
  charMax: number;
  minCount: number;
  /** Most features kept (by frequency); 0 = no limit. */
  maxFeatures: number;
  /** Also word pairs with 1..skipGap words between them, whatever the gap (`a … c`); 0 = none. */
  skipGap?: number;
}

export interface FeaturizerJson {
  config: FeaturizerConfig;
  vocab: string[];
}

export const DEFAULT_FEATURIZER: FeaturizerConfig = { wordNgrams: 2, charMin: 3, charMax: 5, minCount: 1, maxFeatures: 0 };

/** Feature strings of one word: the word itself and its character n-grams. */
export function wordFeatures(word: string, config: FeaturizerConfig): string[] {
  const out = [`w ${word}`];
  if (word.startsWith('pii_')) return out; // placeholders are one token, not text
  const wrapped = `<${word}>`;
  const chars = [...wrapped];
  for (let n = config.charMin; n <= config.charMax && config.charMax > 0; n++) {
    for (let i = 0; i + n <= chars.length; i++) {
      const gram = chars.slice(i, i + n).join('');
      if (gram !== wrapped) out.push(`c ${gram}`); // the whole word is the `w` feature already
    }
  }
  return out;
}

function* skipPairs(ws: string[], maxGap: number): Generator<[string, string]> {
  for (let gap = 1; gap <= maxGap; gap++) for (let i = 0; i + gap + 1 < ws.length; i++) yield [ws[i]!, ws[i + gap + 1]!];
}

/** Feature strings of a word sequence: per-word features plus word n-grams of order 2..wordNgrams. */
export function textFeatures(ws: string[], config: FeaturizerConfig): string[] {
  const out: string[] = [];
  for (const w of ws) out.push(...wordFeatures(w, config));
  for (let n = 2; n <= config.wordNgrams; n++) {
    for (let i = 0; i + n <= ws.length; i++) out.push(`${n} ${ws.slice(i, i + n).join(' ')}`);
  }
  for (const [a, b] of skipPairs(ws, config.skipGap ?? 0)) out.push(`s ${a} ${b}`);
  return out;
}

export class NgramFeaturizer {
  readonly config: FeaturizerConfig;
  readonly vocab: string[];
  private readonly index = new Map<string, number>();
  private readonly wordCache = new Map<string, Int32Array>();

  constructor(json: FeaturizerJson) {
    this.config = json.config;
    this.vocab = json.vocab;
    json.vocab.forEach((f, i) => this.index.set(f, i + 1));
  }

  /** Builds the vocabulary from normalized training texts. Ties in frequency keep first-seen order. */
  static fit(texts: string[], config: FeaturizerConfig = DEFAULT_FEATURIZER): NgramFeaturizer {
    const counts = new Map<string, number>();
    for (const t of texts) for (const f of textFeatures(splitWords(t), config)) counts.set(f, (counts.get(f) ?? 0) + 1);
    let vocab = [...counts].filter(([, c]) => c >= config.minCount);
    if (config.maxFeatures > 0 && vocab.length > config.maxFeatures) vocab = vocab.sort((a, b) => b[1] - a[1]).slice(0, config.maxFeatures);
    return new NgramFeaturizer({ config, vocab: vocab.map(([f]) => f) });
  }

  /** Number of embedding rows needed (vocabulary + padding row). */
  get size(): number {
    return this.vocab.length + 1;
  }

  toJSON(): FeaturizerJson {
    return { config: this.config, vocab: this.vocab };
  }

  private wordIds(word: string): Int32Array {
    let ids = this.wordCache.get(word);
    if (!ids) {
      ids = Int32Array.from(wordFeatures(word, this.config).map((f) => this.index.get(f) ?? 0).filter((i) => i > 0));
      if (this.wordCache.size > 100_000) this.wordCache.clear();
      this.wordCache.set(word, ids);
    }
    return ids;
  }

  /** Feature ids of a normalized word sequence (repeats kept, unknown features skipped). */
  featurize(ws: string[]): Int32Array {
    const out: number[] = [];
    for (const w of ws) for (const id of this.wordIds(w)) out.push(id);
    for (let n = 2; n <= this.config.wordNgrams; n++) {
      for (let i = 0; i + n <= ws.length; i++) {
        const id = this.index.get(`${n} ${ws.slice(i, i + n).join(' ')}`);
        if (id) out.push(id);
      }
    }
    for (const [a, b] of skipPairs(ws, this.config.skipGap ?? 0)) {
      const id = this.index.get(`s ${a} ${b}`);
      if (id) out.push(id);
    }
    return Int32Array.from(out);
  }
}
