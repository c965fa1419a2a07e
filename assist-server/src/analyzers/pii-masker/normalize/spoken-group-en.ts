/**
 * One spoken English number group: digits, "oh", "double"/"triple", teens, tens [+ unit], hundreds and
 * thousands ("one hundred and five", "two thousand twenty four"), and ordinal day words.
 */
const DIGITS: Record<string, number> = {
  zero: 0, oh: 0, o: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
};
export const TEENS: Record<string, number> = {
  ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
export const TENS: Record<string, number> = {
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};
export const REPEAT: Record<string, number> = { double: 2, triple: 3 };

export interface NumberGroup {
  digits: string;
  /** Index after the group. */
  next: number;
}

export function isDigitWord(w: string | undefined, allowOh: boolean): boolean {
  if (w === undefined) return false;
  if ((w === 'oh' || w === 'o') && !allowOh) return false;
  return w in DIGITS || /^\d+$/.test(w);
}

function plainDigit(words: string[], i: number, allowOh: boolean): NumberGroup | null {
  const w = words[i];
  if (w === undefined) return null;
  if (/^\d+$/.test(w)) return { digits: w, next: i + 1 };
  if (!isDigitWord(w, allowOh)) return null;
  return { digits: String(DIGITS[w]), next: i + 1 };
}

/** Value below 100 at i: digit, teen, tens [+ unit], hyphenated "twenty-four". */
function smallNumber(words: string[], i: number, allowOh: boolean): { value: number; next: number; text: string } | null {
  const w = words[i];
  if (w === undefined) return null;
  const hy = /^([a-z]+)-([a-z]+)$/.exec(w);
  if (hy && hy[1]! in TENS && hy[2]! in DIGITS && DIGITS[hy[2]!]! > 0) {
    const v = TENS[hy[1]!]! + DIGITS[hy[2]!]!;
    return { value: v, next: i + 1, text: String(v) };
  }
  if (w in TENS) {
    const u = words[i + 1];
    if (u !== undefined && u in DIGITS && DIGITS[u]! > 0 && u !== 'oh' && u !== 'o') {
      const v = TENS[w]! + DIGITS[u]!;
      return { value: v, next: i + 2, text: String(v) };
    }
    return { value: TENS[w]!, next: i + 1, text: String(TENS[w]) };
  }
  if (w in TEENS) return { value: TEENS[w]!, next: i + 1, text: String(TEENS[w]) };
  const d = plainDigit(words, i, allowOh);
  if (d) return { value: Number(d.digits), next: d.next, text: d.digits };
  return null;
}

/**
 * One spoken group at i: "double five" = 55, "twenty four" = 24, "one hundred and five" = 105,
 * "two thousand twenty four" = 2024, "oh" = 0 (only where allowOh).
 */
export function parseGroupEn(words: string[], i: number, allowOh: boolean): NumberGroup | null {
  const w = words[i];
  if (w === undefined) return null;
  if (w in REPEAT) {
    const d = plainDigit(words, i + 1, true);
    if (d && d.digits.length === 1) return { digits: d.digits.repeat(REPEAT[w]!), next: d.next };
    return null;
  }
  const small = smallNumber(words, i, allowOh);
  if (!small) return null;
  let value = small.value;
  let next = small.next;
  let text = small.text;
  if (words[next] === 'hundred' && value > 0 && value < 100 && !/^0/.test(text)) {
    value *= 100;
    next += 1;
    if (words[next] === 'and' && smallNumber(words, next + 1, false)) next += 1;
    const rest = smallNumber(words, next, false);
    // "eight hundred five five five" is a digit string after 800, not 805 55
    const digitStringFollows = rest !== null && rest.value < 10 && isDigitWord(words[rest.next], true);
    if (rest && rest.value < 100 && !digitStringFollows) {
      value += rest.value;
      next = rest.next;
    }
    text = String(value);
  }
  if (words[next] === 'thousand' && value > 0 && value < 1000) {
    value *= 1000;
    next += 1;
    if (words[next] === 'and') next += 1;
    const rest = parseGroupEn(words, next, false);
    if (rest && Number(rest.digits) < 1000 && !rest.digits.startsWith('0')) {
      value += Number(rest.digits);
      next = rest.next;
    }
    text = String(value);
  }
  return { digits: text, next };
}

/** Ordinal day words ("first", "twenty third") at i: value and next index. */
const ORDINALS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
  eleventh: 11, twelfth: 12, thirteenth: 13, fourteenth: 14, fifteenth: 15, sixteenth: 16, seventeenth: 17,
  eighteenth: 18, nineteenth: 19, twentieth: 20, thirtieth: 30,
};
export function parseOrdinalEn(words: string[], i: number): { value: number; next: number } | null {
  const w = words[i];
  if (w === undefined) return null;
  if (w in ORDINALS) return { value: ORDINALS[w]!, next: i + 1 };
  if ((w === 'twenty' || w === 'thirty') && words[i + 1] !== undefined && words[i + 1]! in ORDINALS && ORDINALS[words[i + 1]!]! < 10) {
    return { value: TENS[w]! + ORDINALS[words[i + 1]!]!, next: i + 2 };
  }
  return null;
}
