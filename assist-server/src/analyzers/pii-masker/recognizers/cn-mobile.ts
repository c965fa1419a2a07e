/** Mainland China mobile numbers: 1[3-9] + 9 digits, optional 86 prefix. */
import type { PiiDoc } from '../normalize/normalize-doc.ts';
import { harmless, near, runsMatching, type Candidate } from './context.ts';

const MOBILE_CONTEXT = ['手机', '电话', '号码', '联系', '打', 'phone', 'mobile', 'cell', 'number'];
/** Context that still says "phone" next to an order/waybill word ("订单 号码" is the order's number). */
const STRONG_CONTEXT = ['手机', '电话', '联系', 'phone', 'mobile', 'cell'];

export function cnMobileRecognizer(doc: PiiDoc): Candidate[] {
  const out: Candidate[] = [];
  for (const { run, digits } of runsMatching(doc, (d) => /^(?:0{0,2}86)?1[3-9]\d{9}$/.test(d))) {
    if (doc.lang === 'en' && !/^0{0,2}86/.test(digits)) continue; // US 1 + 10 digits is PHONE
    const neg = harmless(doc, run.start, run.end);
    const ctx = near(doc, run.start, run.end, neg ? STRONG_CONTEXT : MOBILE_CONTEXT, 6, 2);
    const confidence = neg && !ctx ? 0.3 : ctx ? 0.97 : doc.lang === 'zh' ? 0.9 : 0.6;
    out.push({ type: 'CN_MOBILE', start: run.start, end: run.end, confidence });
  }
  return out;
}
