/** Bank account numbers: 6-17 digits in account context; four digits only as its last four ("ending in …"), never an amount. */
import type { PiiDoc } from '../normalize/normalize-doc.ts';
import { harmless, near, runsMatching, type Candidate } from './context.ts';

const ACCOUNT_EN = ['account number', 'account', 'checking', 'savings', 'bank account', 'acct', 'iban'];
const ACCOUNT_ZH = ['账号', '账户', '帐号', '帐户', '存折'];
const LAST_FOUR = ['last four', 'ending in', 'ends in', 'ending with', 'last four digits', 'last 4', '尾号', '后四位'];

export function bankAccountRecognizer(doc: PiiDoc): Candidate[] {
  const ctx = doc.lang === 'zh' ? ACCOUNT_ZH : ACCOUNT_EN;
  const out: Candidate[] = [];
  for (const { run, digits } of runsMatching(doc, (d) => /^\d{4}$|^\d{6,17}$/.test(d))) {
    if (!near(doc, run.start, run.end, ctx, 8, 0) || harmless(doc, run.start, run.end)) continue;
    if (near(doc, run.start, run.end, ['routing', 'aba', 'transit', 'pin', 'zip', 'phone', 'social', '密码'], 4, 0)) continue;
    if (digits.length === 4 && !near(doc, run.start, run.end, LAST_FOUR, 4, 0)) continue;
    out.push({ type: 'BANK_ACCOUNT', start: run.start, end: run.end, confidence: digits.length === 4 ? 0.6 : 0.8 });
  }
  return out;
}
