/** US Social Security number: 9 digits (area not 000/666/9xx), or the last four in SSN context. */
import type { PiiDoc } from '../normalize/normalize-doc.ts';
import { abaValid, ssnFormatValid } from './checksums.ts';
import { before, harmless, ID_NOUNS_EN, near, runsMatching, type Candidate } from './context.ts';

export const SSN_CONTEXT = ['social', 'ssn', 's s n', 'social security', 'tax id', 'taxpayer'];
const OTHER_NINE = ['routing', 'aba', 'transit', 'zip', 'account', 'phone', 'number to call'];

export function ssnRecognizer(doc: PiiDoc): Candidate[] {
  if (doc.lang === 'zh') return [];
  const out: Candidate[] = [];
  for (const { run, digits } of runsMatching(doc, (d) => d.length === 9 || d.length === 4)) {
    const ctx = near(doc, run.start, run.end, SSN_CONTEXT, 10, 2);
    if (digits.length === 4) {
      if (ctx) out.push({ type: 'SSN', start: run.start, end: run.end, confidence: 0.85 });
      continue;
    }
    if (ctx) {
      out.push({ type: 'SSN', start: run.start, end: run.end, confidence: 0.97 });
      continue;
    }
    if (!ssnFormatValid(digits) || harmless(doc, run.start, run.end) || near(doc, run.start, run.end, OTHER_NINE, 8, 2)) continue;
    // a bare nine-digit number in an utterance about an order/ticket/… is that identifier, not a social
    if (before(doc, run.start, ID_NOUNS_EN, 16)) continue;
    out.push({ type: 'SSN', start: run.start, end: run.end, confidence: abaValid(digits) ? 0.55 : 0.65 });
  }
  return out;
}
