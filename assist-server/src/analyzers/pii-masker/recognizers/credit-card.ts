/** Payment cards: 13-19 digits with Luhn (Amex 15 digits, 34/37); card context rescues a misheard digit. */
import type { PiiDoc } from '../normalize/normalize-doc.ts';
import { isCardNumber } from './checksums.ts';
import { harmless, joinedMatching, near, runsMatching, type Candidate } from './context.ts';

export const CARD_CONTEXT_EN = ['card', 'credit', 'debit', 'visa', 'mastercard', 'master card', 'amex', 'american express', 'discover', 'card number', 'long number'];
export const CARD_CONTEXT_ZH = ['卡号', '银行卡', '信用卡', '储蓄卡', '借记卡', '卡'];

export function creditCardRecognizer(doc: PiiDoc): Candidate[] {
  if (doc.lang === 'zh') return [];
  const out: Candidate[] = [];
  for (const { run } of runsMatching(doc, (d) => d.length >= 12 && d.length <= 20)) {
    const valid = runsMatching({ ...doc, runs: [run] }, (d) => isCardNumber(d)).length > 0;
    const ctx = near(doc, run.start, run.end, CARD_CONTEXT_EN, 10, 3);
    const neg = harmless(doc, run.start, run.end);
    let confidence = 0;
    if (valid) confidence = neg ? (ctx ? 0.8 : 0.3) : ctx ? 0.99 : 0.9;
    else if (ctx && run.digits.length >= 13 && run.digits.length <= 19) confidence = neg ? 0.4 : 0.7;
    if (confidence > 0) out.push({ type: 'CREDIT_CARD', start: run.start, end: run.end, confidence });
  }
  // read in pieces ("… and then …"): only a valid card number counts
  for (const { run } of joinedMatching(doc, isCardNumber)) {
    if (harmless(doc, run.start, run.end)) continue;
    out.push({ type: 'CREDIT_CARD', start: run.start, end: run.end, confidence: near(doc, run.start, run.end, CARD_CONTEXT_EN, 10, 3) ? 0.95 : 0.85 });
  }
  return out;
}
