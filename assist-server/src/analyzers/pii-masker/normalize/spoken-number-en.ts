/**
 * English spoken-number parsing: cardinals ("one hundred twenty three"), digit strings with
 * "oh"/"zero"/"double"/"triple", years ("nineteen eighty four" = 1984), hesitations inside a number
 * ("four one um four one one") and self-corrections ("six sorry five not six"). Keeps word indices.
 */
import { FILLERS_EN, restartReadings, SEPARATORS_EN, type DigitRun } from './digit-run.ts';
import { isDigitWord, parseGroupEn, REPEAT, TEENS, TENS } from './spoken-group-en.ts';

export { parseGroupEn, parseOrdinalEn, type NumberGroup } from './spoken-group-en.ts';

/** Words that open a self-correction; several may follow each other ("no sorry", "no wait", "sorry i mean"). */
const CORRECTIONS = new Set(['sorry', 'no', 'correction', 'wait', 'actually', 'oops']);

/** Index of the first word after a chain of correction words and fillers starting at k. */
function afterCorrection(words: string[], k: number): number {
  for (;;) {
    const w = words[k];
    if (w !== undefined && (CORRECTIONS.has(w) || FILLERS_EN.has(w))) k += 1;
    else if (w === 'i' && words[k + 1] === 'mean') k += 2;
    else if (w === 'let' && words[k + 1] === 'me' && words[k + 2] === 'see') k += 3;
    else return k;
  }
}

function startsNumber(words: string[], i: number): boolean {
  if (parseGroupEn(words, i, true) === null) return false;
  if (words[i] !== 'oh' && words[i] !== 'o') return true;
  const n = words[i + 1];
  return n !== undefined && (isDigitWord(n, true) || n in TEENS || n in TENS || n in REPEAT);
}

/** Finds every number run in lowercase words. */
export function parseNumberRunsEn(words: string[]): DigitRun[] {
  const runs: DigitRun[] = [];
  let i = 0;
  while (i < words.length) {
    const plus = words[i] === 'plus' && startsNumber(words, i + 1);
    const first = plus ? i + 1 : i;
    if (!startsNumber(words, first)) {
      i += 1;
      continue;
    }
    let digits = '';
    const alternatives: string[] = [];
    let groupCount = 0;
    let j = first;
    let end = first;
    let segStart = 0;
    let restart: { prev: string; at: number; correction: boolean } | null = null;
    for (;;) {
      const g = parseGroupEn(words, j, true);
      if (g) {
        digits += g.digits;
        groupCount += 1;
        j = g.next;
        end = j;
        continue;
      }
      const w = words[j];
      if (w !== undefined && (FILLERS_EN.has(w) || SEPARATORS_EN.has(w)) && startsNumber(words, j + 1)) {
        if (FILLERS_EN.has(w)) {
          restart = { prev: digits.slice(segStart), at: digits.length, correction: false };
          segStart = digits.length;
        }
        j += 1;
        continue;
      }
      if (w !== undefined && CORRECTIONS.has(w) && digits.length > 0) {
        const k = afterCorrection(words, j + 1);
        const fix = parseGroupEn(words, k, true);
        if (fix) {
          let replaced = fix.digits;
          let after = fix.next;
          if (words[after] === 'not') {
            const wrong = parseGroupEn(words, after + 1, true);
            if (wrong) {
              const cut = digits.endsWith(wrong.digits) ? wrong.digits.length : Math.min(replaced.length, digits.length);
              digits = digits.slice(0, digits.length - cut) + replaced;
              after = wrong.next;
              replaced = '';
            }
          }
          if (replaced) {
            // no "not": the caller restarts the tail with the right digits
            restart = { prev: digits.slice(segStart), at: digits.length, correction: true };
            segStart = digits.length;
            j = k;
            continue;
          }
          j = after;
          end = j;
          continue;
        }
      }
      break;
    }
    if (restart && restart.prev.length > 0 && digits.length > restart.at) {
      const [primary, ...rest] = restartReadings(digits.slice(0, restart.at), restart.prev, digits.slice(restart.at), restart.correction);
      digits = primary!;
      alternatives.push(...rest);
    }
    runs.push({ start: plus ? i : first, end, digits, alternatives, plus, groupCount });
    i = end;
  }
  return runs;
}
