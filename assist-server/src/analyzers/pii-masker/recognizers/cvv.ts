/** Card security code: 3-4 digits, only in CVV/security-code context. */
import type { PiiDoc } from '../normalize/normalize-doc.ts';
import { before, runsMatching, type Candidate } from './context.ts';

const CVV_EN = ['cvv', 'cvc', 'csc', 'c v v', 'security code', 'three digit', 'three digits', 'four digit code', 'back of the card', 'on the back', 'verification code', 'card code'];
const CVV_ZH = ['安全码', '背面', '后三位', '验证码', 'cvv'];

export function cvvRecognizer(doc: PiiDoc): Candidate[] {
  const ctx = doc.lang === 'zh' ? CVV_ZH : CVV_EN;
  return runsMatching(doc, (d) => /^\d{3,4}$/.test(d))
    .filter(({ run }) => before(doc, run.start, ctx, 8))
    .map(({ run }) => ({ type: 'CVV', start: run.start, end: run.end, confidence: 0.9 }));
}
