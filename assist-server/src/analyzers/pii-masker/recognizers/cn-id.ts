/** CN resident identity number: 18 characters with the GB 11643 check character (X read as 叉), or 15 legacy digits in context. */
import type { PiiDoc } from '../normalize/normalize-doc.ts';
import { cnIdValid } from './checksums.ts';
import { joinedMatching, near, runsMatching, type Candidate } from './context.ts';

const ID_CONTEXT = ['身份证', '证件号', '身份号', 'id'];

export function cnIdRecognizer(doc: PiiDoc): Candidate[] {
  const out: Candidate[] = [];
  for (const { run, digits } of runsMatching(doc, (d) => /^\d{17}[\dX]$/.test(d) || /^\d{15}$/.test(d))) {
    const ctx = near(doc, run.start, run.end, ID_CONTEXT, 8, 0);
    const valid = cnIdValid(digits);
    const confidence = valid ? (ctx ? 0.99 : 0.95) : ctx ? 0.75 : digits.endsWith('X') ? 0.7 : 0;
    if (confidence > 0) out.push({ type: 'CN_ID', start: run.start, end: run.end, confidence });
  }
  for (const { run } of joinedMatching(doc, cnIdValid)) {
    out.push({ type: 'CN_ID', start: run.start, end: run.end, confidence: near(doc, run.start, run.end, ID_CONTEXT, 8, 0) ? 0.95 : 0.85 });
  }
  return out;
}
