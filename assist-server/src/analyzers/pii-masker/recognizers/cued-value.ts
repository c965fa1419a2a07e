/**
 * Values announced by a cue ("my email is …", "date of birth is …"): recognizers garble exactly the
 * words that make an e-mail or a date recognizable ("john dot smith at" → "john dogs with that",
 * "march fourth" → "marsha force"), so after an explicit cue the words that follow are masked as the
 * value, up to its natural end (the top-level domain, the birth year) or a word that ends it, as long
 * as they look like such a value at all (an "at"/"dot"/domain for e-mail, a number or month for a date).
 */
import type { PiiDoc } from '../normalize/normalize-doc.ts';
import { MONTHS } from '../normalize/spoken-date-en.ts';
import type { Candidate } from './context.ts';

interface CuedValue {
  type: string;
  cues: string[][];
  maxWords: number;
  /** True when word i closes the value (inclusive). */
  closes: (doc: PiiDoc, i: number) => boolean;
  /** The value must contain a word for which this holds. */
  looksLike: (doc: PiiDoc, i: number) => boolean;
}

const TLDS = new Set(['com', 'net', 'org', 'edu', 'gov', 'io', 'co', 'us', 'uk', 'info', 'biz', 'me', 'ca']);
const ENDS_VALUE = new Set(['and', 'thanks', 'thank', 'please', 'but', 'so', 'okay', 'ok', 'because', 'if', 'right', 'correct']);
const inRun = (doc: PiiDoc, i: number) => doc.runs.some((r) => i >= r.start && i < r.end);

const SPECS: CuedValue[] = [
  {
    type: 'EMAIL',
    cues: [['email', 'is'], ['email', 'address', 'is'], ['e-mail', 'is'], ['mail', 'is'], ['address', 'is', 'at'], ['email', "it's"], ['email', 'address', "it's"], ['mail', 'me', 'at'], ['email', 'me', 'at']],
    maxWords: 12,
    closes: (doc, i) => TLDS.has(doc.lower[i]!) && doc.lower[i - 1] === 'dot',
    looksLike: (doc, i) => ['at', 'dot', 'underscore'].includes(doc.lower[i]!) || TLDS.has(doc.lower[i]!),
  },
  {
    type: 'DATE_OF_BIRTH',
    cues: [['date', 'of', 'birth', 'is'], ['birth', 'is'], ['date', 'of', 'birth'], ['birthday', 'is'], ['born', 'on'], ['d', 'o', 'b', 'is'], ['d', 'o', 'b'], ['dob', 'is'], ['birth', 'date', 'is'], ['birthdate', 'is']],
    maxWords: 7,
    closes: (doc, i) => doc.runs.some((r) => r.end === i + 1 && /^(19|20)\d\d$|^\d\d$/.test(r.digits) && r.end - r.start >= 2),
    looksLike: (doc, i) => inRun(doc, i) || Object.hasOwn(MONTHS, doc.lower[i]!),
  },
];

/** Mandarin cues after which a partial holds everything back (the detector itself decides the final). */
const ZH_PARTIAL_CUES: Array<Pick<CuedValue, 'cues' | 'maxWords'>> = [
  { cues: [['邮箱', '是'], ['邮箱'], ['邮件', '地址', '是'], ['电子', '邮件', '是']], maxWords: 12 },
  { cues: [['生日', '是'], ['出生', '日期', '是'], ['出生', '于']], maxWords: 8 },
  { cues: [['地址', '是'], ['住在'], ['家', '在']], maxWords: 10 },
  { cues: [['密码', '是']], maxWords: 6 },
];

/** Where a cued value starts and how far it may reach: a partial holds all of it back until the final decides. */
export function cuedValueStarts(doc: PiiDoc): Array<{ start: number; maxWords: number }> {
  const out: Array<{ start: number; maxWords: number }> = [];
  for (const spec of doc.lang === 'zh' ? ZH_PARTIAL_CUES : SPECS) {
    for (let i = 0; i < doc.lower.length; i++) {
      const cue = spec.cues.find((c) => c.every((x, k) => doc.lower[i + k] === x));
      if (cue) out.push({ start: i + cue.length, maxWords: spec.maxWords });
    }
  }
  return out;
}

export function cuedValueRecognizer(doc: PiiDoc): Candidate[] {
  if (doc.lang === 'zh') return [];
  const w = doc.lower;
  const out: Candidate[] = [];
  for (const spec of SPECS) {
    for (let i = 0; i < w.length; i++) {
      const cue = spec.cues.filter((c) => c.every((x, k) => w[i + k] === x)).sort((a, b) => b.length - a.length)[0];
      if (!cue) continue;
      const start = i + cue.length;
      let end = start;
      while (end < w.length && end - start < spec.maxWords && !ENDS_VALUE.has(w[end]!)) {
        end += 1;
        if (spec.closes(doc, end - 1)) break;
      }
      let looks = false;
      for (let k = start; k < end; k++) looks ||= spec.looksLike(doc, k);
      if (end > start && looks) out.push({ type: spec.type, start, end, confidence: 0.75 });
      i = end - 1;
    }
  }
  return out;
}
