/**
 * PII detection over recognizer words: normalizes spoken forms, runs every recognizer, keeps the
 * best non-overlapping entities. maskWords turns them into `[TYPE]` placeholders (last-4 per policy).
 */
import { normalizeDoc, type PiiLang } from './normalize/normalize-doc.ts';
import { parseNumberRunsEn } from './normalize/spoken-number-en.ts';
import { parseNumberRunsZh } from './normalize/spoken-number-zh.ts';
import { bankAccountRecognizer } from './recognizers/bank-account.ts';
import { cardExpiryRecognizer } from './recognizers/card-expiry.ts';
import { cnBankCardRecognizer } from './recognizers/cn-bank-card.ts';
import { cnIdRecognizer } from './recognizers/cn-id.ts';
import { cnMobileRecognizer } from './recognizers/cn-mobile.ts';
import type { Candidate, Recognizer } from './recognizers/context.ts';
import { creditCardRecognizer } from './recognizers/credit-card.ts';
import { cuedValueRecognizer } from './recognizers/cued-value.ts';
import { cvvRecognizer } from './recognizers/cvv.ts';
import { dateOfBirthRecognizer } from './recognizers/date-of-birth.ts';
import { emailRecognizer } from './recognizers/email.ts';
import { passwordRecognizer } from './recognizers/password.ts';
import { personNameRecognizer } from './recognizers/person-name.ts';
import { phoneRecognizer } from './recognizers/phone.ts';
import { pinRecognizer } from './recognizers/pin.ts';
import { routingNumberRecognizer } from './recognizers/routing-number.ts';
import { ssnRecognizer } from './recognizers/ssn.ts';
import { streetAddressRecognizer } from './recognizers/street-address.ts';
import { zipCodeRecognizer } from './recognizers/zip-code.ts';

export interface PiiEntity {
  type: string;
  /** Word indices into the input, end exclusive. */
  start: number;
  end: number;
  confidence: number;
}

export interface DetectOptions {
  lang: PiiLang;
  /** Entities below this confidence are dropped (default 0.5). */
  minConfidence?: number;
}

const RECOGNIZERS: Recognizer[] = [
  creditCardRecognizer, cvvRecognizer, cardExpiryRecognizer, ssnRecognizer, phoneRecognizer, cnMobileRecognizer, emailRecognizer,
  dateOfBirthRecognizer, bankAccountRecognizer, routingNumberRecognizer, streetAddressRecognizer, zipCodeRecognizer,
  personNameRecognizer, pinRecognizer, passwordRecognizer, cnIdRecognizer, cnBankCardRecognizer, cuedValueRecognizer,
];

export function detectPii(words: string[], options: DetectOptions): PiiEntity[] {
  const doc = normalizeDoc(words, options.lang);
  const min = options.minConfidence ?? 0.5;
  const all: Candidate[] = RECOGNIZERS.flatMap((r) => r(doc)).filter((c) => c.confidence >= min && c.end > c.start);
  // best first: confidence, then longer span; drop anything overlapping a kept entity
  all.sort((a, b) => b.confidence - a.confidence || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: PiiEntity[] = [];
  for (const c of all) {
    if (kept.some((k) => c.start < k.end && k.start < c.end)) {
      // a longer lower-confidence span still must not leave words in clear: extend nothing, mask the rest below
      const rest = uncovered(c, kept);
      for (const r of rest) kept.push({ ...r, type: c.type, confidence: c.confidence });
      continue;
    }
    kept.push({ type: c.type, start: c.start, end: c.end, confidence: c.confidence });
  }
  return mergeAdjacent(kept.sort((a, b) => a.start - b.start));
}

/** Touching entities of one type are one value ("marsha force" + "nineteen eighty five"): one placeholder. */
function mergeAdjacent(sorted: PiiEntity[]): PiiEntity[] {
  const out: PiiEntity[] = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    if (last && last.type === e.type && last.end === e.start) out[out.length - 1] = { ...last, end: e.end, confidence: Math.max(last.confidence, e.confidence) };
    else out.push(e);
  }
  return out;
}

function uncovered(c: Candidate, kept: PiiEntity[]): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  let s = -1;
  for (let i = c.start; i <= c.end; i++) {
    const free = i < c.end && !kept.some((k) => i >= k.start && i < k.end);
    if (free && s < 0) s = i;
    if (!free && s >= 0) {
      out.push({ start: s, end: i });
      s = -1;
    }
  }
  return out;
}

export type MaskPolicy = Partial<Record<string, 'mask' | 'last4'>>;

export interface MaskResult {
  text: string;
  /** Word indices that were replaced. */
  masked: number[];
}

/** Replaces each entity's words with one `[TYPE]` placeholder; 'last4' keeps the last four digits (`[CREDIT_CARD …1111]`). */
export function maskWords(words: string[], entities: PiiEntity[], policy: MaskPolicy = {}, lang: PiiLang = 'en'): MaskResult {
  const sorted = [...entities].sort((a, b) => a.start - b.start);
  const out: string[] = [];
  const masked: number[] = [];
  let i = 0;
  for (const e of sorted) {
    if (e.start < i) continue;
    while (i < e.start) out.push(words[i++]!);
    let placeholder = `[${e.type}]`;
    if (policy[e.type] === 'last4') {
      const span = words.slice(e.start, e.end).map((w) => w.toLowerCase());
      const digits = (lang === 'zh' ? parseNumberRunsZh(span) : parseNumberRunsEn(span)).map((r) => r.digits).join('');
      if (digits.length >= 8) placeholder = `[${e.type} …${digits.slice(-4)}]`;
    }
    out.push(placeholder);
    for (let k = e.start; k < e.end; k++) masked.push(k);
    i = e.end;
  }
  while (i < words.length) out.push(words[i++]!);
  return { text: out.join(' '), masked };
}
