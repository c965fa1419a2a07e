/** Normalized view of an utterance that recognizers share: lowercase words, number runs, spellings, e-mails, dates. */
import type { DigitRun } from './digit-run.ts';
import { findSpelledRuns, type SpelledRun } from './spelled-letters.ts';
import { findSpokenDatesEn, type DateMatch } from './spoken-date-en.ts';
import { findSpokenEmails, type EmailMatch } from './spoken-email.ts';
import { parseNumberRunsEn } from './spoken-number-en.ts';
import { parseNumberRunsZh } from './spoken-number-zh.ts';

export type PiiLang = 'en' | 'zh';

export interface PiiDoc {
  lang: PiiLang;
  words: string[];
  /** Lowercased words with trailing punctuation removed. */
  lower: string[];
  runs: DigitRun[];
  spelled: SpelledRun[];
  emails: EmailMatch[];
  dates: DateMatch[];
}

export function normalizeDoc(words: string[], lang: PiiLang): PiiDoc {
  const lower = words.map((w) => w.toLowerCase().replace(/^[,.?!;:"]+|[,.?!;:"，。？！、]+$/g, ''));
  if (lang === 'zh') return { lang, words, lower, runs: parseNumberRunsZh(lower), spelled: [], emails: findSpokenEmails(lower, 3), dates: [] };
  return {
    lang,
    words,
    lower,
    runs: parseNumberRunsEn(lower),
    spelled: findSpelledRuns(lower),
    emails: findSpokenEmails(lower),
    dates: findSpokenDatesEn(lower),
  };
}
