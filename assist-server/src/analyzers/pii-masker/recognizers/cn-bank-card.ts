/** Bank cards read in Mandarin: 16-19 digits (UnionPay 62…), Luhn or card context. */
import type { PiiDoc } from '../normalize/normalize-doc.ts';
import { luhnValid } from './checksums.ts';
import { harmless, joinedMatching, near, runsMatching, type Candidate } from './context.ts';
import { CARD_CONTEXT_ZH } from './credit-card.ts';

export function cnBankCardRecognizer(doc: PiiDoc): Candidate[] {
  if (doc.lang !== 'zh') return [];
  const out: Candidate[] = [];
  for (const { run, digits } of runsMatching(doc, (d) => /^\d{15,19}$/.test(d))) {
    const ctx = near(doc, run.start, run.end, CARD_CONTEXT_ZH, 8, 0);
    const neg = harmless(doc, run.start, run.end);
    const valid = digits.length >= 16 && luhnValid(digits);
    const confidence = valid ? (neg && !ctx ? 0.3 : 0.95) : ctx && !neg && digits.length >= 16 ? 0.75 : 0;
    if (confidence > 0) out.push({ type: 'CN_BANK_CARD', start: run.start, end: run.end, confidence });
  }
  for (const { run } of joinedMatching(doc, (d) => /^\d{16,19}$/.test(d) && luhnValid(d))) {
    if (near(doc, run.start, run.end, CARD_CONTEXT_ZH, 8, 0) && !harmless(doc, run.start, run.end)) out.push({ type: 'CN_BANK_CARD', start: run.start, end: run.end, confidence: 0.9 });
  }
  return out;
}
