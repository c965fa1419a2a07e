/**
 * Numbers read in pieces with a short connector between the pieces ("four one four seven … and then seven
 * four six five …", "four seven six eight okay four two six eight okay …", "… 幺 两 然后 是 三 四 …"):
 * every chain of 2-5 neighbouring runs with at most three connector words between each, and the digits
 * they make together. Only checksum-validated recognizers use these: a connector also separates numbers.
 * Connectors are only words a partial hypothesis already holds back next to a number (partial-safe-words.ts
 * CONNECTOR_WORDS), so a partial never shows a word that the joined entity masks in the final.
 */
import { readings, type DigitRun } from './digit-run.ts';

const CONNECTORS: Record<'en' | 'zh', ReadonlySet<string>> = {
  en: new Set(['and', 'then', 'okay', 'ok', 'the', 'um', 'uh', 'er', 'erm', 'hmm']),
  zh: new Set(['然后', '是', '就是', '嗯', '呃', '那个']),
};
const MAX_GAP = 3;
const MAX_PIECES = 5;
const MAX_DIGITS = 19;

function bridged(words: string[], from: number, to: number, connectors: ReadonlySet<string>): boolean {
  if (to - from < 1 || to - from > MAX_GAP) return false;
  for (let k = from; k < to; k++) if (!connectors.has(words[k]!)) return false;
  return true;
}

/** Chains of runs joined across connectors; the canonical digits first, then each piece's other readings. */
export function joinRuns(words: string[], runs: DigitRun[], lang: 'en' | 'zh'): DigitRun[] {
  const out: DigitRun[] = [];
  for (let a = 0; a < runs.length; a++) {
    const chain: DigitRun[] = [runs[a]!];
    for (let b = a + 1; b < runs.length && chain.length < MAX_PIECES; b++) {
      if (!bridged(words, runs[b - 1]!.end, runs[b]!.start, CONNECTORS[lang])) break;
      chain.push(runs[b]!);
      const digits = chain.map((r) => r.digits).join('');
      if (digits.length > MAX_DIGITS) break;
      const alternatives = chain.flatMap((r, i) =>
        readings(r).slice(1).map((alt) => chain.map((x, k) => (k === i ? alt : x.digits)).join('')),
      );
      const groupCount = chain.reduce((n, r) => n + r.groupCount, 0);
      out.push({ start: chain[0]!.start, end: runs[b]!.end, digits, alternatives, plus: chain[0]!.plus, groupCount });
    }
  }
  return out;
}
