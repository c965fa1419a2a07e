/** Card expiry ("expires oh four twenty seven", "expiration april twenty twenty seven", "oh four slash two seven"). */
import type { PiiDoc } from '../normalize/normalize-doc.ts';
import { before, type Candidate } from './context.ts';

const EXPIRY_EN = ['expires', 'expiry', 'expiration', 'expiration date', 'exp', 'valid thru', 'valid through', 'good thru', 'good through', 'expire', 'expiring'];
const EXPIRY_ZH = ['有效期', '到期', '过期'];

export function cardExpiryRecognizer(doc: PiiDoc): Candidate[] {
  const ctx = doc.lang === 'zh' ? EXPIRY_ZH : EXPIRY_EN;
  const out: Candidate[] = [];
  for (const d of doc.dates) {
    if (d.year !== undefined && before(doc, d.start, ctx, 6)) out.push({ type: 'CARD_EXPIRY', start: d.start, end: d.end, confidence: 0.9 });
  }
  const runs = doc.runs;
  for (let r = 0; r < runs.length; r++) {
    const run = runs[r]!;
    if (!before(doc, run.start, ctx, 6) || out.some((c) => c.start <= run.start && c.end > run.start)) continue;
    let end = run.end;
    let digits = run.digits;
    const next = runs[r + 1];
    const sep = doc.lower[run.end];
    if (next && next.start === run.end + 1 && (sep === 'slash' || sep === '/' || sep === '年' || sep === '月')) {
      end = next.end;
      digits += next.digits;
      r += 1;
    }
    if (doc.lang === 'zh' && (doc.lower[end] === '月' || doc.lower[end] === '年')) end += 1;
    if (digits.length >= 3 && digits.length <= 6) out.push({ type: 'CARD_EXPIRY', start: run.start, end, confidence: 0.85 });
  }
  return out;
}
