/** PINs: 4-8 digits after "pin"/"passcode" (Mandarin: 密码 + 6 digits). */
import type { PiiDoc } from '../normalize/normalize-doc.ts';
import { before, runsMatching, type Candidate } from './context.ts';

const PIN_EN = ['pin', 'p i n', 'pin number', 'pin code', 'passcode', 'pass code', 'security pin', 'access code', 'verbal password'];
const PIN_ZH = ['密码', '取款密码', '支付密码', 'pin'];

export function pinRecognizer(doc: PiiDoc): Candidate[] {
  return runsMatching(doc, (d) => /^\d{4,8}$/.test(d))
    .filter(({ run }) => before(doc, run.start, doc.lang === 'zh' ? PIN_ZH : PIN_EN, 6))
    .map(({ run }) => ({ type: 'PIN', start: run.start, end: run.end, confidence: 0.9 }));
}
