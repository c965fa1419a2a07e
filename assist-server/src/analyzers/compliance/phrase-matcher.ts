/**
 * Phrase matching that tolerates speech recognizer variation. Text is lower-cased, split into
 * words and Porter-stemmed (`stemmer`); a phrase is then aligned against the best-fitting run of
 * words in the utterance (approximate substring alignment over words: missing, extra, swapped,
 * merged and split words cost, stop words count half; a swapped word costs nothing when its stem or
 * its Double Metaphone code is the same — "coal"/"call" — and its character distance otherwise).
 * A second score compares the stemmed strings character by character over word windows, which
 * catches re-segmented words ("is being" → "maybe"). The similarity is the better of the two, 0..1.
 * Masked PII placeholders are single words that only match themselves.
 */
import { doubleMetaphone } from 'double-metaphone';
import { distance } from 'fastest-levenshtein';
import { stemmer } from 'stemmer';

export interface MatchToken {
  /** The word as written (a whole placeholder for PII), for evidence. */
  raw: string;
  /** Index of `raw` among the text's pieces (several tokens may share one piece: "risk-free"). */
  piece: number;
  norm: string;
  stem: string;
  weight: number;
}

export interface CompiledPhrase {
  text: string;
  tokens: MatchToken[];
  totalWeight: number;
  /** Stems joined by spaces, for the character score. */
  joined: string;
}

export interface PhraseMatch {
  phrase: string;
  similarity: number;
  /** Token range of the utterance, end exclusive. */
  start: number;
  end: number;
  /** The utterance's words that matched. */
  evidence: string;
}

const PII_TOKEN = '#pii';
const STOP_WORDS = new Set(
  'a an the is are am was were be been being this that these those to of and or in on at by for with as it its i me my we our us you your he she they them his her their will would can could do does did have has had so if then there here'.split(' '),
);
/** Phrases this short (in words) need a closer match: two words leave little room for error. */
const SHORT_PHRASE_WORDS = 2;
const SHORT_PHRASE_MIN_SIMILARITY = 0.88;

const phoneticCache = new Map<string, string>();

function phonetic(word: string): string {
  let code = phoneticCache.get(word);
  if (code === undefined) {
    if (phoneticCache.size > 50_000) phoneticCache.clear();
    code = /^[a-z]+$/.test(word) && word.length > 1 ? doubleMetaphone(word)[0] : '';
    phoneticCache.set(word, code);
  }
  return code;
}

/** Splits (masked) text into matchable words. */
export function tokenize(text: string): MatchToken[] {
  const tokens: MatchToken[] = [];
  const pieces = text.match(/\[[^\]]*\]|\S+/g) ?? [];
  pieces.forEach((raw, piece) => {
    if (raw.startsWith('[') && raw.endsWith(']')) {
      tokens.push({ raw, piece, norm: PII_TOKEN, stem: PII_TOKEN, weight: 1 });
      return;
    }
    for (const norm of raw.toLowerCase().replace(/['’]/g, '').split(/[^\p{L}\p{N}]+/u)) {
      if (!norm) continue;
      tokens.push({ raw, piece, norm, stem: stemmer(norm), weight: STOP_WORDS.has(norm) ? 0.5 : 1 });
    }
  });
  return tokens;
}

export function compilePhrase(text: string): CompiledPhrase {
  const tokens = tokenize(text);
  return { text, tokens, totalWeight: tokens.reduce((s, t) => s + t.weight, 0), joined: tokens.map((t) => t.stem).join(' ') };
}

/** Stem of a single word, for word lists (profanity …). */
export function stemWord(word: string): string {
  return stemmer(word.toLowerCase().replace(/['’]/g, ''));
}

/** 0 (same word to the ear) .. 1 (different words). */
function wordCost(a: string, b: string, cache: Map<string, number>): number {
  if (a === b) return 0;
  if (a === PII_TOKEN || b === PII_TOKEN) return 1;
  const key = `${a}\u0000${b}`;
  let cost = cache.get(key);
  if (cost === undefined) {
    const pa = phonetic(a);
    if (pa && pa === phonetic(b)) cost = 0.15;
    else {
      const d = distance(a, b) / Math.max(a.length, b.length);
      cost = d <= 0.5 ? d : 1;
    }
    cache.set(key, cost);
  }
  return cost;
}

/**
 * Approximate substring alignment of the phrase's words against the utterance's: the phrase must
 * be covered whole, the utterance only where it matched. Returns cost (in phrase word weights)
 * and the utterance token range.
 */
function alignWords(phrase: MatchToken[], utt: MatchToken[], cache: Map<string, number>): { cost: number; start: number; end: number } {
  const n = phrase.length;
  const m = utt.length;
  const INF = Number.POSITIVE_INFINITY;
  // cost[i][j]: phrase[0..i) aligned, ending just before utterance token j; from[i][j]: where the aligned run started
  const cost: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(INF));
  const from: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let j = 0; j <= m; j++) {
    cost[0]![j] = 0;
    from[0]![j] = j;
  }
  for (let i = 1; i <= n; i++) {
    const p = phrase[i - 1]!;
    for (let j = 0; j <= m; j++) {
      // phrase word missing from the utterance
      let best = cost[i - 1]![j]! + p.weight;
      let start = from[i - 1]![j]!;
      const take = (c: number, s: number) => {
        if (c < best) {
          best = c;
          start = s;
        }
      };
      if (j >= 1) {
        const u = utt[j - 1]!;
        take(cost[i - 1]![j - 1]! + wordCost(p.stem, u.stem, cache) * p.weight, from[i - 1]![j - 1]!);
        // an extra word inside the match
        if (i >= 1 && cost[i]![j - 1]! < INF) take(cost[i]![j - 1]! + 0.5 * u.weight, from[i]![j - 1]!);
        // two phrase words heard as one ("is being" → "maybe"), one heard as two
        if (i >= 2) {
          const q = phrase[i - 2]!;
          take(cost[i - 2]![j - 1]! + wordCost(q.norm + p.norm, u.norm, cache) * (p.weight + q.weight), from[i - 2]![j - 1]!);
        }
        if (j >= 2) {
          const v = utt[j - 2]!;
          take(cost[i - 1]![j - 2]! + wordCost(p.norm, v.norm + u.norm, cache) * p.weight, from[i - 1]![j - 2]!);
        }
      }
      cost[i]![j] = best;
      from[i]![j] = start;
    }
  }
  let bestJ = 0;
  for (let j = 1; j <= m; j++) if (cost[n]![j]! < cost[n]![bestJ]!) bestJ = j;
  return { cost: cost[n]![bestJ]!, start: from[n]![bestJ]!, end: bestJ };
}

/** Character similarity of the stemmed phrase against word windows of about its length. */
function charWindows(phrase: CompiledPhrase, utt: MatchToken[]): { similarity: number; start: number; end: number } {
  const n = phrase.tokens.length;
  let best = { similarity: 0, start: 0, end: 0 };
  for (let len = Math.max(1, n - 1); len <= n + 1; len++) {
    for (let s = 0; s + len <= utt.length; s++) {
      const window = utt.slice(s, s + len);
      if (window.some((t) => t.stem === PII_TOKEN) !== phrase.tokens.some((t) => t.stem === PII_TOKEN)) continue;
      const text = window.map((t) => t.stem).join(' ');
      const sim = 1 - distance(text, phrase.joined) / Math.max(text.length, phrase.joined.length);
      if (sim > best.similarity) best = { similarity: sim, start: s, end: s + len };
    }
  }
  return best;
}

export function evidenceOf(utt: MatchToken[], start: number, end: number): string {
  const pieces: string[] = [];
  let last = -1;
  for (const t of utt.slice(start, end)) {
    if (t.piece !== last) pieces.push(t.raw);
    last = t.piece;
  }
  return pieces.join(' ');
}

/** Whether some word of the utterance (or two adjacent ones heard for it) could be this phrase word. */
function heard(p: MatchToken, utt: MatchToken[], cache: Map<string, number>): boolean {
  for (let j = 0; j < utt.length; j++) {
    if (wordCost(p.stem, utt[j]!.stem, cache) < 1) return true;
    if (j + 1 < utt.length && wordCost(p.norm, utt[j]!.norm + utt[j + 1]!.norm, cache) < 1) return true;
  }
  return false;
}

/**
 * How closely `phrase` occurs in the utterance (best place), or null for an empty phrase or
 * utterance, or when it cannot reach `atLeast`. The character score only counts when every content
 * word of the phrase (not a stop word) was heard, so "verified your address" does not pass for
 * "verified your identity" on its shared letters.
 */
export function scorePhrase(phrase: CompiledPhrase, utt: MatchToken[], cache = new Map<string, number>(), atLeast = 0): PhraseMatch | null {
  if (phrase.tokens.length === 0 || utt.length === 0) return null;
  let unheard = 0;
  for (const p of phrase.tokens) if (p.weight === 1 && !heard(p, utt, cache)) unheard += p.weight;
  // each unheard content word costs its full weight in the word alignment
  if (1 - unheard / phrase.totalWeight < atLeast) return null;
  const words = alignWords(phrase.tokens, utt, cache);
  const wordSim = Math.max(0, Math.min(1 - words.cost / phrase.totalWeight, 1 - unheard / phrase.totalWeight));
  const chars = unheard === 0 ? charWindows(phrase, utt) : { similarity: 0, start: 0, end: 0 };
  const useWords = wordSim >= chars.similarity;
  const similarity = useWords ? wordSim : chars.similarity;
  if (similarity < atLeast) return null;
  let { start, end } = useWords ? words : chars;
  // trim unmatched edge words out of the evidence
  while (start < end - 1 && !phrase.tokens.some((p) => wordCost(p.stem, utt[start]!.stem, cache) < 1)) start++;
  while (end > start + 1 && !phrase.tokens.some((p) => wordCost(p.stem, utt[end - 1]!.stem, cache) < 1)) end--;
  return { phrase: phrase.text, similarity: Math.round(similarity * 1000) / 1000, start, end, evidence: evidenceOf(utt, start, end) };
}

/** Phrases of one rule, compiled once. `words` match by exact stem only. */
export class PhraseSet {
  private readonly phrases: CompiledPhrase[];
  private readonly words: Map<string, string>;

  constructor(
    phrases: string[],
    readonly minSimilarity: number,
    words: string[] = [],
  ) {
    this.phrases = phrases.map(compilePhrase).filter((p) => p.tokens.length > 0);
    this.words = new Map(words.map((w) => [stemWord(w), w]));
  }

  get size(): number {
    return this.phrases.length + this.words.size;
  }

  /** The best match at or above the threshold, or null. */
  match(utt: MatchToken[], cache = new Map<string, number>()): PhraseMatch | null {
    let best: PhraseMatch | null = null;
    for (const phrase of this.phrases) {
      // one-word phrases behave like words: a near miss of one word is usually another word
      const threshold = phrase.tokens.length === 1 ? 1 : phrase.tokens.length <= SHORT_PHRASE_WORDS ? Math.max(this.minSimilarity, SHORT_PHRASE_MIN_SIMILARITY) : this.minSimilarity;
      const m = scorePhrase(phrase, utt, cache, Math.max(threshold, best?.similarity ?? 0));
      if (m && m.similarity >= threshold && (!best || m.similarity > best.similarity)) best = m;
    }
    if (!best && this.words.size) {
      const i = utt.findIndex((t) => this.words.has(t.stem));
      if (i >= 0) best = { phrase: this.words.get(utt[i]!.stem)!, similarity: 1, start: i, end: i + 1, evidence: evidenceOf(utt, i, i + 1) };
    }
    return best;
  }
}
