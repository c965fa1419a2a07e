/**
 * The live masking stage: PII detection over the recognizer's words. Finals get `[TYPE]`
 * placeholders (or last-4 per policy) and an entity list with audio times for redaction; partials
 * hold back anything that could still turn out to be PII (see partial-hold-back.ts). Raw text only
 * passes through here, in memory, for the utterance being masked.
 */
import type { LegRole, MaskedEntityRef, TranscriptWord } from '../../protocol/index.ts';
import type { RecognizedWord } from '../../recognition/recognizer.ts';
import type { PiiLang } from './normalize/normalize-doc.ts';
import { maskPartialWords } from './partial-hold-back.ts';
import { detectPii, maskWords, type MaskPolicy } from './pii-detector.ts';
import { PassThroughMasker, type MaskedUtterance, type TranscriptMasker } from './transcript-masker.ts';

export interface PiiMaskerOptions {
  lang: PiiLang;
  /** Per type: 'mask' (default) or 'last4'. */
  policy?: MaskPolicy;
  minConfidence?: number;
}

export class PiiTranscriptMasker implements TranscriptMasker {
  private readonly keypad = new PassThroughMasker();

  constructor(private readonly options: PiiMaskerOptions) {}

  maskPartial(_role: LegRole, text: string): string {
    const words = splitWords(text);
    return words.length ? maskPartialWords(words, this.options.lang, this.options.minConfidence).text : '';
  }

  maskFinal(_role: LegRole, text: string, recognized: RecognizedWord[]): MaskedUtterance {
    const { lang, policy = {}, minConfidence } = this.options;
    // Word times come from the recognizer's words; text without words (an engine that gives none) is masked on its own.
    const timed: RecognizedWord[] = recognized.length ? recognized : splitWords(text).map((word) => ({ word, startMs: 0, endMs: 0, confidence: 1 }));
    const plain = timed.map((w) => w.word);
    const found = detectPii(plain, { lang, ...(minConfidence === undefined ? {} : { minConfidence }) });
    const words: TranscriptWord[] = [];
    const entities: MaskedEntityRef[] = [];
    let i = 0;
    for (const e of found) {
      while (i < e.start) words.push({ ...timed[i++]! });
      const span = plain.slice(e.start, e.end);
      const placeholder = maskWords(span, [{ ...e, start: 0, end: span.length }], policy, lang).text;
      const first = timed[e.start]!;
      const last = timed[e.end - 1]!;
      const confidence = Math.min(...timed.slice(e.start, e.end).map((w) => w.confidence));
      entities.push({ type: e.type, wordIndex: words.length, start: e.start, end: e.end, startMs: first.startMs, endMs: last.endMs, confidence: round(e.confidence) });
      words.push({ word: placeholder, startMs: first.startMs, endMs: last.endMs, confidence });
      i = e.end;
    }
    while (i < timed.length) words.push({ ...timed[i++]! });
    return { text: words.map((w) => w.word).join(' '), words, entities };
  }

  maskCallerNumber(raw: string | undefined): string | null {
    return this.keypad.maskCallerNumber(raw);
  }

  /** Keypad digits are card numbers, PINs and account numbers far more often than menu choices: never shown. */
  maskDtmf(role: LegRole, digit: string): string {
    return this.keypad.maskDtmf(role, digit);
  }
}

function splitWords(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Parses `CREDIT_CARD=last4,PHONE=mask` (the EARPIECE_PII_POLICY format). */
export function parseMaskPolicy(raw: string): MaskPolicy {
  const policy: MaskPolicy = {};
  for (const part of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [type, mode] = part.split('=').map((s) => s.trim());
    if (!type || (mode !== 'mask' && mode !== 'last4')) throw new Error(`bad PII policy entry "${part}": expected TYPE=mask or TYPE=last4`);
    policy[type.toUpperCase()] = mode;
  }
  return policy;
}
