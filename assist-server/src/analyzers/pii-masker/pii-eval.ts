/**
 * Evaluation of the PII detector on a labeled JSONL set (`{"text", "spans": [{start, end, type}]}`,
 * word indices into text.split(" "), end exclusive). A gold entity counts as found when every one of
 * its words is masked (by any entity); typeMatch also requires an entity of the same type over it.
 */
import { detectPii, type PiiEntity } from './pii-detector.ts';
import type { PiiLang } from './normalize/normalize-doc.ts';

export interface EvalSpan {
  start: number;
  end: number;
  type: string;
}

export interface EvalLine {
  text: string;
  spans: EvalSpan[];
}

export interface TypeRecall {
  total: number;
  found: number;
  recall: number;
}

export interface PiiEvalReport {
  lang: PiiLang;
  lines: number;
  piiFreeLines: number;
  entities: number;
  entityRecall: number;
  entityRecallTypeMatch: number;
  perType: Record<string, TypeRecall>;
  wordPrecision: number;
  wordRecall: number;
  piiFreeMaskedShare: number;
  /** Missed gold entities by line number (1-based) and span; no text, so no PII lands in output. */
  missed: Array<{ line: number; type: string; start: number; end: number }>;
  /** PII-free lines where something was masked. */
  falsePositiveLines: Array<{ line: number; types: string[] }>;
}

export class PiiEvalError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'PiiEvalError';
  }
}

/** Parses and checks the JSONL set; throws EARPIECE_PII_EVAL_DATA naming the bad line. */
export function parseEvalJsonl(text: string): EvalLine[] {
  const out: EvalLine[] = [];
  text.split('\n').forEach((raw, i) => {
    if (!raw.trim()) return;
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch {
      throw new PiiEvalError('EARPIECE_PII_EVAL_DATA', `line ${i + 1} is not JSON; write one {"text", "spans"} object per line`);
    }
    const o = obj as Partial<EvalLine>;
    if (typeof o.text !== 'string' || !Array.isArray(o.spans)) {
      throw new PiiEvalError('EARPIECE_PII_EVAL_DATA', `line ${i + 1} needs "text" (string) and "spans" (array)`);
    }
    const n = o.text.split(' ').length;
    for (const s of o.spans) {
      if (!Number.isInteger(s.start) || !Number.isInteger(s.end) || s.start < 0 || s.end > n || s.start >= s.end || typeof s.type !== 'string') {
        throw new PiiEvalError('EARPIECE_PII_EVAL_DATA', `line ${i + 1}: span ${JSON.stringify(s)} must be word indices 0 <= start < end <= ${n} with a type`);
      }
    }
    out.push({ text: o.text, spans: o.spans });
  });
  return out;
}

const ratio = (a: number, b: number): number => (b === 0 ? 1 : Math.round((a / b) * 10000) / 10000);

export function evaluatePii(lines: EvalLine[], options: { lang: PiiLang; detect?: (words: string[]) => PiiEntity[] }): PiiEvalReport {
  const detect = options.detect ?? ((w: string[]) => detectPii(w, { lang: options.lang }));
  const perType: Record<string, TypeRecall> = {};
  const missed: PiiEvalReport['missed'] = [];
  const falsePositiveLines: PiiEvalReport['falsePositiveLines'] = [];
  let entities = 0, found = 0, typeFound = 0, tp = 0, predWords = 0, goldWords = 0, piiFree = 0;
  lines.forEach((line, li) => {
    const words = line.text.split(' ');
    const pred = detect(words);
    const masked = new Set<number>();
    for (const e of pred) for (let k = e.start; k < e.end; k++) masked.add(k);
    const gold = new Set<number>();
    for (const s of line.spans) for (let k = s.start; k < s.end; k++) gold.add(k);
    predWords += masked.size;
    goldWords += gold.size;
    for (const k of masked) if (gold.has(k)) tp += 1;
    if (line.spans.length === 0) {
      piiFree += 1;
      if (masked.size > 0) falsePositiveLines.push({ line: li + 1, types: pred.map((e) => e.type) });
    }
    for (const s of line.spans) {
      entities += 1;
      const t = (perType[s.type] ??= { total: 0, found: 0, recall: 0 });
      t.total += 1;
      let all = true;
      for (let k = s.start; k < s.end; k++) if (!masked.has(k)) all = false;
      if (all) {
        found += 1;
        t.found += 1;
        if (pred.some((e) => e.type === s.type && e.start < s.end && s.start < e.end)) typeFound += 1;
      } else missed.push({ line: li + 1, type: s.type, start: s.start, end: s.end });
    }
  });
  for (const t of Object.values(perType)) t.recall = ratio(t.found, t.total);
  return {
    lang: options.lang,
    lines: lines.length,
    piiFreeLines: piiFree,
    entities,
    entityRecall: ratio(found, entities),
    entityRecallTypeMatch: ratio(typeFound, entities),
    perType,
    wordPrecision: ratio(tp, predWords),
    wordRecall: ratio(tp, goldWords),
    piiFreeMaskedShare: ratio(falsePositiveLines.length, piiFree),
    missed,
    falsePositiveLines,
  };
}
