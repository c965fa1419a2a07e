/** Street addresses: a house number, up to four words, a street suffix, optional apartment/unit. */
import type { PiiDoc } from '../normalize/normalize-doc.ts';
import { before, harmless, type Candidate } from './context.ts';

const SUFFIX = new Set([
  'street', 'st', 'avenue', 'ave', 'road', 'rd', 'drive', 'dr', 'lane', 'ln', 'boulevard', 'blvd', 'court', 'ct', 'way', 'place',
  'circle', 'parkway', 'terrace', 'highway', 'trail', 'square', 'crescent', 'close', 'row', 'pike', 'loop',
]);
const UNIT = new Set(['apartment', 'apt', 'unit', 'suite', 'number', 'flat']);
const STOP = new Set(['and', 'the', 'is', 'my', 'i', 'to', 'of', 'on', 'in', 'at', 'for', 'it', 'a', 'that', 'this', 'by', 'from']);
const ZH_ADDR = ['地址', '住在', '住址', '家在', '寄到', '送到'];
const ZH_END = new Set(['号', '室', '栋', '单元', '楼']);

export function streetAddressRecognizer(doc: PiiDoc): Candidate[] {
  const out: Candidate[] = [];
  if (doc.lang === 'zh') {
    for (let i = 0; i < doc.lower.length; i++) {
      if (!ZH_ADDR.some((a) => doc.lower[i]!.includes(a))) continue;
      let s = i + 1;
      if (doc.lower[s] === '是' || doc.lower[s] === '在') s += 1;
      let e = s;
      let last = -1;
      while (e < doc.lower.length && e - s < 16) {
        if (ZH_END.has(doc.lower[e]!)) last = e;
        e += 1;
      }
      if (last >= s) out.push({ type: 'ADDRESS', start: s, end: last + 1, confidence: 0.85 });
    }
    return out;
  }
  for (const run of doc.runs) {
    if (run.digits.length > 6 || harmless(doc, run.start, run.end)) continue;
    let k = run.end;
    while (k < doc.lower.length && k - run.end < 5 && !SUFFIX.has(doc.lower[k]!) && !STOP.has(doc.lower[k]!)) k += 1;
    if (k === run.end || !SUFFIX.has(doc.lower[k] ?? '')) continue;
    let end = k + 1;
    if (UNIT.has(doc.lower[end] ?? '')) {
      const unit = doc.runs.find((r) => r.start === end + 1) ?? doc.spelled.find((r) => r.start === end + 1);
      if (unit) end = unit.end;
    }
    out.push({ type: 'ADDRESS', start: run.start, end, confidence: before(doc, run.start, ['address', 'live', 'ship', 'send', 'mail'], 6) ? 0.95 : 0.85 });
  }
  return out;
}
