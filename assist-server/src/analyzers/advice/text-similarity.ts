/**
 * Light text matching on masked transcript for advice: words lower-cased and Porter-stemmed (so
 * "managers" finds "manager"), PII placeholders kept as one word each ("[CREDIT_CARD]" →
 * "credit_card"), `…` (held back words) dropped. Used to spot a manager request and a question
 * asked twice.
 */
import { stemmer } from 'stemmer';

const STOP_WORDS = new Set(
  'a an the i im me my we our you your it its is are was were be been am do does did to of in on at for from with and or but so that this there what how why when can could would will just um uh yeah okay ok please hi hello'.split(' '),
);

/** Normalized, stemmed words of a text (placeholders as their type). */
export function phraseWords(text: string): string[] {
  return tokens(text).map((t) => (t.placeholder ? t.word : stemmer(t.word)));
}

function tokens(text: string): Array<{ word: string; placeholder: boolean }> {
  const out: Array<{ word: string; placeholder: boolean }> = [];
  for (const m of text.toLowerCase().matchAll(/\[([a-z_]+)[^\]]*\]|[\p{L}\p{N}']+/gu)) {
    out.push(m[1] ? { word: m[1], placeholder: true } : { word: m[0].replace(/'/g, ''), placeholder: false });
  }
  return out;
}

/** Whether the word list contains the phrase's words in a row. */
export function containsPhrase(words: string[], phrase: string[]): boolean {
  if (phrase.length === 0 || phrase.length > words.length) return false;
  outer: for (let i = 0; i + phrase.length <= words.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (words[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

/** The words that carry a question's meaning: stemmed, stop words dropped, each once. */
export function contentWords(text: string): Set<string> {
  return new Set(tokens(text).flatMap((t) => (t.placeholder ? [t.word] : STOP_WORDS.has(t.word) ? [] : [stemmer(t.word)])));
}

/** Jaccard overlap of two content-word sets, 0..1 (0 when either is empty). */
export function overlap(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let both = 0;
  for (const w of a) if (b.has(w)) both++;
  return both / (a.size + b.size - both);
}
