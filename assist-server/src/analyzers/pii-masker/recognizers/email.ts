/** E-mail addresses, spoken ("john dot smith at gmail dot com") or written. */
import type { PiiDoc } from '../normalize/normalize-doc.ts';
import type { Candidate } from './context.ts';

export function emailRecognizer(doc: PiiDoc): Candidate[] {
  const out: Candidate[] = doc.emails.map((e) => ({ type: 'EMAIL', start: e.start, end: e.end, confidence: 0.95 }));
  doc.lower.forEach((w, i) => {
    if (/^[^\s@]+@[^\s@]+\.[a-z]{2,}$/.test(w)) out.push({ type: 'EMAIL', start: i, end: i + 1, confidence: 0.99 });
  });
  return out;
}
