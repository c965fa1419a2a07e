/** ABA routing number: 9 digits with the ABA checksum, in routing/bank context. */
import type { PiiDoc } from '../normalize/normalize-doc.ts';
import { abaValid } from './checksums.ts';
import { near, runsMatching, type Candidate } from './context.ts';

const ROUTING = ['routing', 'aba', 'transit', 'routing number'];
const BANK = ['bank', 'direct deposit', 'wire', 'checking', 'savings'];

export function routingNumberRecognizer(doc: PiiDoc): Candidate[] {
  if (doc.lang === 'zh') return [];
  const out: Candidate[] = [];
  for (const { run, digits } of runsMatching(doc, (d) => /^\d{9}$/.test(d))) {
    const ctx = near(doc, run.start, run.end, ROUTING, 8, 2);
    const valid = abaValid(digits);
    if (ctx) out.push({ type: 'ROUTING_NUMBER', start: run.start, end: run.end, confidence: valid ? 0.98 : 0.75 });
    else if (valid && near(doc, run.start, run.end, BANK, 8, 2)) out.push({ type: 'ROUTING_NUMBER', start: run.start, end: run.end, confidence: 0.7 });
  }
  return out;
}
