/**
 * The single masking stage. Every transcript (partials included) and every caller number passes
 * through a TranscriptMasker before it is pushed, stored, queued or logged. Only this stage sees
 * raw text. PiiTranscriptMasker is the real one; PassThroughMasker is for tools that need raw text
 * (`earpiece transcribe --raw`) and for tests of other stages.
 */
import type { LegRole, MaskedEntityRef, TranscriptWord } from '../../protocol/index.ts';
import type { RecognizedWord } from '../../recognition/recognizer.ts';

export interface MaskedUtterance {
  text: string;
  words: TranscriptWord[];
  entities: MaskedEntityRef[];
}

export interface TranscriptMasker {
  /** Masks an in-progress hypothesis. Must never reveal what a later final would mask. */
  maskPartial(role: LegRole, text: string): string;
  /** Masks a settled utterance; words keep their times, masked words carry the placeholder. */
  maskFinal(role: LegRole, text: string, words: RecognizedWord[]): MaskedUtterance;
  /** Masks the caller's number for display and storage. */
  maskCallerNumber(raw: string | undefined): string | null;
  /** Masks one keypad digit (callers key in card numbers and PINs). */
  maskDtmf(role: LegRole, digit: string): string;
}

/** Masks nothing but keypad digits and the caller number: for raw-text tools and tests, never the live path. */
export class PassThroughMasker implements TranscriptMasker {
  maskPartial(_role: LegRole, text: string): string {
    return text;
  }

  maskFinal(_role: LegRole, text: string, words: RecognizedWord[]): MaskedUtterance {
    return { text, words: words.map((w) => ({ ...w })), entities: [] };
  }

  maskDtmf(_role: LegRole, _digit: string): string {
    return '•'; // keypad input is never shown in clear, whatever the masking policy
  }

  maskCallerNumber(raw: string | undefined): string | null {
    if (!raw) return null;
    const digits = raw.replace(/\D/g, '');
    return digits.length <= 4 ? '••••' : `•••• ${digits.slice(-4)}`;
  }
}
