/** Date of birth: a date, a numeric date or a birth year, only when context says it is a birth date. */
import type { PiiDoc } from '../normalize/normalize-doc.ts';
import { before, type Candidate } from './context.ts';

const BIRTH_EN = ['born', 'birth', 'birthday', 'date of birth', 'dob', 'd o b', 'birthdate', 'b day'];
const BIRTH_ZH = ['出生', '生日', '出生日期', '生于'];

export function dateOfBirthRecognizer(doc: PiiDoc): Candidate[] {
  const ctx = doc.lang === 'zh' ? BIRTH_ZH : BIRTH_EN;
  const out: Candidate[] = [];
  for (const d of doc.dates) {
    if (before(doc, d.start, ctx, 8)) out.push({ type: 'DATE_OF_BIRTH', start: d.start, end: d.end, confidence: 0.9 });
  }
  if (doc.lang === 'zh') {
    // 一 九 八 四 年 三 月 五 日: runs joined by 年/月, ending in 日/号
    const runs = doc.runs;
    for (let r = 0; r < runs.length; r++) {
      const first = runs[r]!;
      if (!before(doc, first.start, ctx, 6)) continue;
      let end = first.end;
      let k = r;
      while (['年', '月', '日', '号'].includes(doc.lower[end] ?? '')) {
        end += 1;
        const next = runs[k + 1];
        if (next && next.start === end) {
          end = next.end;
          k += 1;
        } else break;
      }
      if (end > first.end || first.digits.length === 8) out.push({ type: 'DATE_OF_BIRTH', start: first.start, end, confidence: 0.9 });
      r = k;
    }
    return out;
  }
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
    if (n === 4 || n === 6 || n === 8 || n === 2) out.push({ type: 'DATE_OF_BIRTH', start: run.start, end: run.end, confidence: n === 2 ? 0.6 : 0.85 });
  }
  return out;
}
