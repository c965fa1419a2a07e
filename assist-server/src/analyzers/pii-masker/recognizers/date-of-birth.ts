/** Date of birth: a date, a numeric date or a birth year, only when context says it is a birth date. */
import type { PiiDoc } from '../normalize/normalize-doc.ts';
import { wordDigitsZh } from '../normalize/spoken-number-zh.ts';
import { after, before, type Candidate } from './context.ts';

const BIRTH_EN = ['born', 'birth', 'birthday', 'date of birth', 'dob', 'd o b', 'birthdate', 'b day', 'bday'];
const BIRTH_ZH = ['出生', '生日', '出生日期', '生于'];
const ZH_UNITS = ['年', '月', '日', '号'];

export function dateOfBirthRecognizer(doc: PiiDoc): Candidate[] {
  const ctx = doc.lang === 'zh' ? BIRTH_ZH : BIRTH_EN;
  const out: Candidate[] = [];
  for (const d of doc.dates) {
    if (before(doc, d.start, ctx, 8)) out.push({ type: 'DATE_OF_BIRTH', start: d.start, end: d.end, confidence: 0.9 });
  }
  if (doc.lang === 'zh') return [...out, ...zhBirthDates(doc)];
  const runs = doc.runs;
  for (let r = 0; r < runs.length; r++) {
    const run = runs[r]!;
    if (out.some((c) => c.start <= run.start && c.end > run.start)) continue;
    if (!before(doc, run.start, ctx, 8)) continue;
    // "oh seven slash oh four slash nineteen ninety": one date across separators
    let n = run.digits.length;
    let end = run.end;
    while (['slash', 'dash', '/', '-'].includes(doc.lower[end] ?? '') && runs[r + 1]?.start === end + 1) {
      r += 1;
      end = runs[r]!.end;
      n += runs[r]!.digits.length;
    }
    if (end > run.end) {
      out.push({ type: 'DATE_OF_BIRTH', start: run.start, end, confidence: 0.9 });
      continue;
    }
    // "three twelve eighty" (3/12/80), "four twenty ninety one": month and day need not be two digits
    if ((n >= 4 && n <= 8) || n === 2) out.push({ type: 'DATE_OF_BIRTH', start: run.start, end: run.end, confidence: n === 2 ? 0.6 : 0.85 });
  }
  return out;
}

/** One piece of a Mandarin date at i: digits then a unit word ("八 月"), or one word holding both ("十月", "一九九零年"). */
function zhPiece(doc: PiiDoc, i: number): { next: number; unit: boolean } | null {
  const run = doc.runs.find((r) => r.start === i);
  if (run) return ZH_UNITS.includes(doc.lower[run.end] ?? '') ? { next: run.end + 1, unit: true } : { next: run.end, unit: false };
  const m = /^(.+)([年月日号])$/u.exec(doc.lower[i] ?? '');
  return m && wordDigitsZh(m[1]!) !== null ? { next: i + 1, unit: true } : null;
}

/** 一 九 八 四 年 三 月 五 日 / 十月 一号 / 19840305, with birth context before it or right after a dated form ("… 出生 的"). */
function zhBirthDates(doc: PiiDoc): Candidate[] {
  const out: Candidate[] = [];
  for (let i = 0; i < doc.lower.length; i++) {
    const first = zhPiece(doc, i);
    if (!first) continue;
    let end = first.next;
    for (let p = first; p.unit; ) {
      const next = zhPiece(doc, end);
      if (!next) break;
      end = next.next;
      p = next;
    }
    const dated = first.unit;
    const eight = !dated && doc.runs.some((r) => r.start === i && r.digits.length === 8);
    const ctx = before(doc, i, BIRTH_ZH, 6) || (dated && after(doc, end, BIRTH_ZH, 2));
    if (ctx && (dated || eight)) out.push({ type: 'DATE_OF_BIRTH', start: i, end, confidence: 0.9 });
    i = end - 1;
  }
  return out;
}
