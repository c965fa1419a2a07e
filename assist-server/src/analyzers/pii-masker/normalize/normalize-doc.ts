/** Normalized view of an utterance that recognizers share: lowercase words, number runs, spellings, e-mails, dates. */
import type { DigitRun } from './digit-run.ts';
import { joinRuns } from './joined-runs.ts';
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
  /** Runs read in pieces with connectors between them ("… and then …"); for checksum-validated types only. */
  joined: DigitRun[];
  spelled: SpelledRun[];
  emails: EmailMatch[];
  dates: DateMatch[];
}

export function normalizeDoc(words: string[], lang: PiiLang): PiiDoc {
  const lower = words.map((w) => w.toLowerCase().replace(/^[,.?!;:"]+|[,.?!;:"，。？！、]+$/g, ''));
  if (lang === 'zh') {
    const runs = parseNumberRunsZh(lower);
    return { lang, words, lower, runs, joined: joinRuns(lower, runs, lang), spelled: [], emails: findSpokenEmails(lower, 3), dates: [] };
  }
  const runs = parseNumberRunsEn(lower);
  return {
    lang,
    words,
    lower,
    runs,
    joined: joinRuns(lower, runs, lang),
    spelled: findSpelledRuns(lower),
    emails: findSpokenEmails(lower),
    dates: findSpokenDatesEn(lower),
  };
}
