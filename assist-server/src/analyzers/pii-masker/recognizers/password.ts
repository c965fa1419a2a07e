/** Passwords: whatever follows "password is …" up to a closing word (spelled letters, digits, words). */
import type { PiiDoc } from '../normalize/normalize-doc.ts';
import type { Candidate } from './context.ts';

const OPEN = [['password', 'is'], ['password', "it's"], ['password', 'was'], ["password's"], ['passphrase', 'is'], ['passcode', 'is'], ["passcode's"], ['pass', 'code', 'is'], ['password', 'would', 'be'], ['password', 'should', 'be']];
const CLOSE = new Set(['and', 'but', 'please', 'thanks', 'thank', 'okay', 'ok', 'so', 'can', 'could', 'is', 'right', 'if']);

export function passwordRecognizer(doc: PiiDoc): Candidate[] {
  if (doc.lang === 'zh') return [];
  const w = doc.lower;
  const out: Candidate[] = [];
  for (let i = 0; i < w.length; i++) {
    const o = OPEN.find((p) => p.every((x, k) => w[i + k] === x));
    if (!o) continue;
    const s = i + o.length;
    let e = s;
    while (e < w.length && e - s < 12 && !CLOSE.has(w[e]!)) e += 1;
    if (e > s) out.push({ type: 'PASSWORD', start: s, end: e, confidence: 0.85 });
    i = e;
  }
  return out;
}
