/** Spelled letters ("j o h n", "double l") found as runs of single-letter words. */
export interface SpelledRun {
  start: number;
  end: number;
  value: string;
}

const LETTER = /^[a-z]\.?$/;

/** Runs of at least minLength spelled letters; "double" + letter counts as two. */
export function findSpelledRuns(words: string[], minLength = 2): SpelledRun[] {
  const runs: SpelledRun[] = [];
  let i = 0;
  while (i < words.length) {
    let j = i;
    let value = '';
    for (;;) {
      const w = words[j];
      if (w !== undefined && LETTER.test(w)) {
        value += w[0];
        j += 1;
      } else if (w === 'double' && words[j + 1] !== undefined && LETTER.test(words[j + 1]!) && words[j + 1]!.length === 1) {
        value += words[j + 1]!.repeat(2);
        j += 2;
      } else break;
    }
    // a lone "a" or "i" is a word, not a spelling
    if (value.length >= minLength && !(j - i === 1)) {
      runs.push({ start: i, end: j, value });
      i = j;
    } else i += 1;
  }
  return runs;
}
