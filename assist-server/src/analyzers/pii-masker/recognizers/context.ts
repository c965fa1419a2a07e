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
  return doc.lang === 'zh' ? ws.join('') : ` ${ws.join(' ')} `;
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

/** Harmless-number context: order/ticket numbers, prices, quantities, times, "press two". */
export function harmless(doc: PiiDoc, start: number, end: number): boolean {
  if (doc.lang === 'zh') return before(doc, start, NEG_BEFORE_ZH, 5) || after(doc, end, NEG_AFTER_ZH, 1);
  return before(doc, start, NEG_BEFORE_EN, 4) || after(doc, end, NEG_AFTER_EN, 1);
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
