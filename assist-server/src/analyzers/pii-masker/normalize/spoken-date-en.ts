/**
 * Spoken English dates: "march fifth nineteen eighty four", "the fifth of march eighty four",
 * "april twenty twenty seven", "march of eighty seven", "june uh the fifteenth", "oh four slash twenty seven"
 * (the last is left to digit runs).
 */
import { FILLERS_EN } from './digit-run.ts';
import { parseGroupEn, parseOrdinalEn } from './spoken-number-en.ts';

export interface DateMatch {
  start: number;
  end: number;
  year?: number;
  month?: number;
  day?: number;
}

export const MONTHS: Record<string, number> = {
  january: 1, february: 2, march: 3, april: 4, may: 5, june: 6, july: 7, august: 8, september: 9, october: 10,
  november: 11, december: 12, jan: 1, feb: 2, mar: 3, apr: 4, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};

function day(words: string[], i: number): { value: number; next: number } | null {
  const o = parseOrdinalEn(words, i);
  if (o && o.value >= 1 && o.value <= 31) return o;
  const g = parseGroupEn(words, i, false);
  if (g && g.digits.length <= 2 && Number(g.digits) >= 1 && Number(g.digits) <= 31) return { value: Number(g.digits), next: g.next };
  return null;
}

/** A year at i: "nineteen eighty four", "two thousand five", "twenty twenty", "eighty four", "oh five". */
export function parseYearEn(words: string[], i: number): { value: number; next: number } | null {
  const a = parseGroupEn(words, i, true);
  if (!a) return null;
  if (a.digits.length === 4) return { value: Number(a.digits), next: a.next };
  if (a.digits.length === 2 && (a.digits.startsWith('19') || a.digits.startsWith('20'))) {
    const b = parseGroupEn(words, a.next, true);
    if (b && b.digits.length === 2) return { value: Number(a.digits + b.digits), next: b.next };
    if (b && b.digits.length === 1 && (words[a.next] === 'oh' || words[a.next] === 'o' || words[a.next] === 'zero')) {
      const c = parseGroupEn(words, b.next, false);
      if (c && c.digits.length === 1) return { value: Number(a.digits + '0' + c.digits), next: c.next };
    }
  }
  if (a.digits.length === 2) return { value: Number(a.digits), next: a.next };
  if (a.digits.length === 1 && a.digits === '0') {
    const b = parseGroupEn(words, a.next, false);
    if (b && b.digits.length === 1) return { value: Number('0' + b.digits), next: b.next };
  }
  return null;
}

/** Finds month-named dates. */
export function findSpokenDatesEn(words: string[]): DateMatch[] {
  const out: DateMatch[] = [];
  for (let i = 0; i < words.length; i++) {
    const month = MONTHS[words[i]!];
    if (month === undefined || (words[i] === 'may' && !day(words, i + 1) && !parseYearEn(words, i + 1))) continue;
    let start = i;
    let d: number | undefined;
    // "the fifth of march"
    if (words[i - 1] === 'of') {
      for (const k of [i - 3, i - 2]) {
        const o = k >= 0 ? parseOrdinalEn(words, k) : null;
        if (o && o.next === i - 1) {
          start = words[k - 1] === 'the' ? k - 1 : k;
          d = o.value;
          break;
        }
      }
    }
    // a hesitation between the month and the day ("june uh the fifteenth")
    let next = i + 1;
    while (FILLERS_EN.has(words[next] ?? '') && words[next + 1] !== undefined) next += 1;
    if (d === undefined) {
      let k = next;
      if (words[k] === 'the') k += 1;
      const dd = day(words, k);
      // "april twenty twenty seven" is a year, not day 20
      const asYear = parseYearEn(words, next);
      const yearAfterDay = dd ? parseYearEn(words, dd.next) : null;
      if (dd && !(asYear && asYear.value >= 1900 && asYear.next >= dd.next && !(yearAfterDay && yearAfterDay.value >= 1900))) {
        d = dd.value;
        next = dd.next;
      }
    }
    // "march of eighty seven": month of year
    const y = parseYearEn(words, next) ?? (d === undefined && words[next] === 'of' ? parseYearEn(words, next + 1) : null);
    const end = y ? y.next : next;
    if (d === undefined && !y) continue;
    out.push({ start, end, month, ...(d !== undefined ? { day: d } : {}), ...(y ? { year: y.value } : {}) });
    i = end - 1;
  }
  return out;
}
