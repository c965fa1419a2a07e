/** Context-word helpers shared by recognizers: a window of words before/after a span, phrase lookup. */
import type { PiiDoc } from '../normalize/normalize-doc.ts';
import { readings, type DigitRun } from '../normalize/digit-run.ts';

export interface Candidate {
  type: string;
  start: number;
  end: number;
  confidence: number;
}

export type Recognizer = (doc: PiiDoc) => Candidate[];

function windowText(doc: PiiDoc, from: number, to: number): string {
  const ws = doc.lower.slice(Math.max(0, from), Math.max(0, to));
  if (doc.lang === 'zh') return ws.join('');
  const text = ` ${ws.join(' ')} `;
  // "pin's", "security code's": also read as "pin is", so a context phrase matches either spelling
  return text.includes("'s ") ? `${text}|${text.replace(/'s /g, ' is ')}` : text;
}

/** True when one of the phrases occurs within `before` words before start or `after` words after end. */
export function near(doc: PiiDoc, start: number, end: number, phrases: readonly string[], before = 8, after = 3): boolean {
  const b = windowText(doc, start - before, start);
  const a = windowText(doc, end, end + after);
  return phrases.some((p) => {
    const needle = doc.lang === 'zh' ? p : ` ${p} `;
    return b.includes(needle) || a.includes(needle);
  });
}

/** Only the words before start. */
export function before(doc: PiiDoc, start: number, phrases: readonly string[], count = 8): boolean {
  return near(doc, start, start, phrases, count, 0);
}

/** Only the words right after end. */
export function after(doc: PiiDoc, end: number, phrases: readonly string[], count = 2): boolean {
  return near(doc, end, end, phrases, 0, count);
}

const NEG_BEFORE_EN = [
  'order', 'ticket', 'tracking', 'confirmation', 'reference', 'case', 'invoice', 'claim', 'reservation', 'model', 'serial',
  'press', 'extension', 'flight', 'item', 'sku', 'part', 'booking', 'receipt', 'transaction', 'shipment', 'package', 'parcel',
  'costs', 'cost', 'price', 'total', 'balance', 'refund', 'fee',
  'version', 'room', 'gate', 'seat', 'aisle', 'page', 'option', 'dial',
];
const NEG_AFTER_EN = [
  'dollars', 'dollar', 'bucks', 'cents', 'percent', 'minutes', 'minute', 'hours', 'hour', 'days', 'day', 'weeks', 'months', 'years',
  "o'clock", 'am', 'pm', 'a.m.', 'p.m.', 'items', 'times', 'pounds', 'euros', 'people', 'units', 'gigabytes', 'miles',
];
const NEG_BEFORE_ZH = ['订单', '单号', '快递', '运单', '工单', '价格', '元', '按', '编号', '航班', '房间', '型号', '发票', '流水'];
const NEG_AFTER_ZH = ['元', '块', '点', '分钟', '小时', '天', '个', '件', '月份', '岁', '号线', '楼', '年'];

/** Nouns that name a non-personal identifier ("order number", "reference code"). */
export const ID_NOUNS_EN = [
  'order', 'ticket', 'tracking', 'confirmation', 'reference', 'case', 'invoice', 'claim', 'reservation', 'booking', 'receipt',
  'transaction', 'serial', 'model', 'item', 'sku', 'part', 'shipment', 'package', 'parcel', 'flight', 'policy', 'member', 'promo',
];
const LABEL_HEADS = new Set(['number', 'code', 'id', 'no', '#']);

/** True when the last "number"/"code" label within `count` words before start is an ID noun's ("reference number for this call is …"). */
export function labelledId(doc: PiiDoc, start: number, count = 8): boolean {
  for (let k = start - 1; k >= Math.max(1, start - count); k--) {
    if (LABEL_HEADS.has(doc.lower[k]!)) return ID_NOUNS_EN.includes(doc.lower[k - 1]!);
  }
  return false;
}

/** Counting out loud ("one two three … nine ten", a microphone check): 0/1 up to ten or beyond. */
export function isCounting(digits: string): boolean {
  for (const from of [0, 1]) {
    let seq = '';
    let n = from;
    for (; seq.length < digits.length; n++) seq += String(n);
    if (seq === digits && n > 10) return true;
  }
  return false;
}

/** Harmless-number context: order/ticket numbers, prices, quantities, times, "press two", counting. */
export function harmless(doc: PiiDoc, start: number, end: number): boolean {
  if (doc.runs.some((r) => r.start === start && r.end === end && isCounting(r.digits))) return true;
  if (doc.lang === 'zh') return before(doc, start, NEG_BEFORE_ZH, 5) || after(doc, end, NEG_AFTER_ZH, 1);
  return before(doc, start, NEG_BEFORE_EN, 4) || after(doc, end, NEG_AFTER_EN, 1) || labelledId(doc, start);
}

/** Runs whose some reading matches. */
export function runsMatching(doc: PiiDoc, test: (digits: string, run: DigitRun) => boolean): Array<{ run: DigitRun; digits: string }> {
  const out: Array<{ run: DigitRun; digits: string }> = [];
  for (const run of doc.runs) {
    const hit = readings(run).find((d) => test(d, run));
    if (hit !== undefined) out.push({ run, digits: hit });
  }
  return out;
}

/** Joined runs (pieces with connectors between them) whose some reading passes a checksum test. */
export function joinedMatching(doc: PiiDoc, valid: (digits: string) => boolean): Array<{ run: DigitRun; digits: string }> {
  return runsMatching({ ...doc, runs: doc.joined }, valid);
}
