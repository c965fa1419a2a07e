/** Street addresses: a house number, up to four words, a street suffix, optional apartment/unit. */
import type { PiiDoc } from '../normalize/normalize-doc.ts';
import { before, harmless, type Candidate } from './context.ts';

const SUFFIX = new Set([
  'street', 'st', 'avenue', 'ave', 'road', 'rd', 'drive', 'dr', 'lane', 'ln', 'boulevard', 'blvd', 'court', 'ct', 'way', 'place',
  'circle', 'parkway', 'terrace', 'highway', 'trail', 'square', 'crescent', 'close', 'row', 'pike', 'loop',
]);
const LETTER = /^[a-z]$/;
const UNIT = new Set(['apartment', 'apt', 'unit', 'suite', 'number', 'flat']);
const STOP = new Set(['and', 'the', 'is', 'my', 'i', 'to', 'of', 'on', 'in', 'at', 'for', 'it', 'a', 'that', 'this', 'by', 'from']);
const ZH_ADDR = ['地址', '住在', '住址', '家在', '寄到', '送到'];
const ZH_END = new Set(['号', '室', '栋', '单元', '楼']);

export function streetAddressRecognizer(doc: PiiDoc): Candidate[] {
  const out: Candidate[] = [];
  if (doc.lang === 'zh') {
    for (let i = 0; i < doc.lower.length; i++) {
      // the cue may be one word or split in two ("家 在", "住 在")
      const pair = (doc.lower[i - 1] ?? '') + doc.lower[i]!;
      if (!ZH_ADDR.some((a) => doc.lower[i]!.includes(a) || pair.endsWith(a))) continue;
      let s = i + 1;
      if (doc.lower[s] === '是' || doc.lower[s] === '在') s += 1;
      let e = s;
      let last = -1;
      while (e < doc.lower.length && e - s < 16) {
        if (ZH_END.has(doc.lower[e]!)) last = e;
        e += 1;
      }
      if (last < s) continue;
      // "… 二 单元 六零幺": the room number after the last unit word
      const room = doc.runs.find((r) => r.start === last + 1);
      if (room) last = ZH_END.has(doc.lower[room.end] ?? '') ? room.end : room.end - 1;
      out.push({ type: 'ADDRESS', start: s, end: last + 1, confidence: 0.85 });
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
      const num = doc.runs.find((r) => r.start === end + 1);
      const letter = LETTER.test(doc.lower[end + 1] ?? '') ? { end: end + 2 } : undefined; // "unit b"
      const unit = num ?? doc.spelled.find((r) => r.start === end + 1) ?? letter;
      if (unit) end = unit.end;
      // "apartment five b": a unit letter after the number, not the start of a spelling
      if (num && LETTER.test(doc.lower[end] ?? '') && !LETTER.test(doc.lower[end + 1] ?? '')) end += 1;
    }
    out.push({ type: 'ADDRESS', start: run.start, end, confidence: before(doc, run.start, ['address', 'live', 'ship', 'send', 'mail'], 6) ? 0.95 : 0.85 });
  }
  return out;
}
