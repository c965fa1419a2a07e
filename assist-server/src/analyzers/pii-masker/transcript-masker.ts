/**
 * The single masking stage. Every transcript (partials included) and every caller number passes
 * through a TranscriptMasker before it is pushed, stored, queued or logged. Only this stage sees
 * raw text. The PII issue replaces PassThroughMasker with the real recognizers; the interface is
 * what the rest of the server depends on.
 */
import type { LegRole, TranscriptWord } from '../../protocol/index.ts';
import type { RecognizedWord } from '../../recognition/recognizer.ts';

export interface MaskedEntity {
  type: string;
  /** Word index range in the utterance, end exclusive. */
  start: number;
  end: number;
  startMs: number;
  endMs: number;
  confidence: number;
}

export interface MaskedUtterance {
  text: string;
  words: TranscriptWord[];
  entities: MaskedEntity[];
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

/** Stand-in until the PII issue lands: transcripts pass unchanged; caller numbers keep their last 4 digits. */
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
