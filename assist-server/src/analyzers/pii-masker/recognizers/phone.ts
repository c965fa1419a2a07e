/** Phone numbers: US (10 digits, optional leading 1), international ("plus" + 8-15 digits), 7 digits in phone context, CN landlines in context. */
import type { PiiDoc } from '../normalize/normalize-doc.ts';
import { harmless, near, runsMatching, type Candidate } from './context.ts';

export const PHONE_CONTEXT_EN = ['phone', 'number', 'call', 'reach', 'cell', 'mobile', 'callback', 'call back', 'contact', 'telephone', 'text', 'landline', 'fax'];
const STRONG_PHONE_EN = PHONE_CONTEXT_EN.filter((p) => p !== 'number' && p !== 'text');
const PHONE_CONTEXT_ZH = ['电话', '座机', '手机', '联系', '打'];

function usShape(d: string): boolean {
  return /^[2-9]\d{2}[2-9]\d{6}$/.test(d) || /^1[2-9]\d{2}[2-9]\d{6}$/.test(d);
}

export function phoneRecognizer(doc: PiiDoc): Candidate[] {
  const out: Candidate[] = [];
  if (doc.lang === 'zh') {
    for (const { run } of runsMatching(doc, (d) => /^0\d{9,11}$/.test(d) || /^[2-9]\d{6,7}$/.test(d))) {
      if (near(doc, run.start, run.end, PHONE_CONTEXT_ZH, 6, 0)) out.push({ type: 'PHONE', start: run.start, end: run.end, confidence: 0.85 });
    }
    return out;
  }
  for (const { run, digits } of runsMatching(doc, (d, r) => usShape(d) || (r.plus && d.length >= 8 && d.length <= 15) || /^\d{7}$/.test(d) || /^\d{10,11}$/.test(d))) {
    const neg = harmless(doc, run.start, run.end);
    const ctx = near(doc, run.start, run.end, neg ? STRONG_PHONE_EN : PHONE_CONTEXT_EN, 8, 2);
    let confidence = 0;
    if (run.plus) confidence = 0.9;
    else if (usShape(digits)) confidence = neg && !ctx ? 0.3 : ctx ? 0.95 : 0.8;
    else if (digits.length >= 10) confidence = !neg && near(doc, run.start, run.end, STRONG_PHONE_EN, 8, 2) ? 0.75 : 0;
    else if (ctx && !neg) confidence = 0.7;
    if (confidence > 0) out.push({ type: 'PHONE', start: run.start, end: run.end, confidence });
  }
  return out;
}
