/**
 * Masking for partial hypotheses. A partial is a prefix of an utterance whose end is not known yet,
 * so a number run that looks harmless now ("four one one one") may become a card number two words
 * later, and context that makes a run PII may follow it ("… that's my social"). A partial therefore
 * shows no word that could be part of PII: entities already detected get their `[TYPE]`
 * placeholder, every other word of a number run, a spelled-letter run, an e-mail or a date, or
 * of a value announced by a cue ("my email is …") is held back as `…`, and so is each of the last few words unless it is a common word that is never
 * part of PII (partial-safe-words.ts): the words still to come may turn "send it to sarah" into an
 * e-mail or "four fifty park" into an address. The final decides; harmless numbers ("press two",
 * prices) come back then.
 */
import { normalizeDoc, type PiiLang } from './normalize/normalize-doc.ts';
import { MONTHS } from './normalize/spoken-date-en.ts';
import { CONNECTOR_REACH, CONNECTOR_WORDS, SAFE_TAIL_WORDS_EN, SAFE_TAIL_WORDS_ZH, ZH_PLACE_WORD } from './partial-safe-words.ts';
import { detectPii, type PiiEntity } from './pii-detector.ts';
import { cuedValueStarts } from './recognizers/cued-value.ts';

export const HELD_BACK = '…';

/** How many trailing words of a partial are unsettled. */
export const UNSETTLED_TAIL_WORDS = 3;

export interface PartialView {
  text: string;
  /** Word indices not shown (masked or held back). */
  hidden: Set<number>;
}

export function maskPartialWords(words: string[], lang: PiiLang, minConfidence?: number): PartialView {
  const doc = normalizeDoc(words, lang);
  const entities: PiiEntity[] = detectPii(words, { lang, ...(minConfidence === undefined ? {} : { minConfidence }) });
  const hidden = new Set<number>();
  const placeholderAt = new Map<number, string>();
  for (const e of entities) {
    placeholderAt.set(e.start, `[${e.type}]`);
    for (let i = e.start; i < e.end; i++) hidden.add(i);
  }
  for (const span of [...doc.runs, ...doc.spelled, ...doc.emails, ...doc.dates]) {
    for (let i = span.start; i < span.end; i++) hidden.add(i);
  }
  // after "my email is", "date of birth is": the value is still being spoken, garbled or not
  for (const { start, maxWords } of cuedValueStarts(doc)) {
    for (let i = start; i < Math.min(words.length, start + maxWords); i++) hidden.add(i);
  }
  const safe = lang === 'zh' ? SAFE_TAIL_WORDS_ZH : SAFE_TAIL_WORDS_EN;
  const w = doc.lower;
  for (let i = Math.max(0, words.length - UNSETTLED_TAIL_WORDS); i < words.length; i++) {
    if (!safe.has(w[i]!)) hidden.add(i);
  }
  // a month name may be the start of a birth date whose cue the recognizer garbled ("my data of birth is march")
  // ("may" only before a number: "may i ask" is no date)
  if (lang === 'en') w.forEach((x, i) => Object.hasOwn(MONTHS, x) && (x !== 'may' || hidden.has(i + 1)) && hidden.add(i));
  if (lang === 'zh') w.forEach((x, i) => !safe.has(x) && ZH_PLACE_WORD.test(x) && hidden.add(i));
  // connectors next to held-back words join them, and reach back over the words they connect
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i < w.length; i++) {
      if (!CONNECTOR_WORDS.has(w[i]!)) continue;
      if (!hidden.has(i) && (hidden.has(i - 1) || hidden.has(i + 1))) (hidden.add(i), (changed = true));
      if (!hidden.has(i)) continue;
      // words already held back do not use up the reach: "wang 幺 二 三 艾特" pulls back "wang"
      for (let k = i - 1, reach = CONNECTOR_REACH; k >= 0 && reach > 0 && !safe.has(w[k]!); k--) {
        if (hidden.has(k)) continue;
        hidden.add(k);
        changed = true;
        reach -= 1;
      }
    }
  }
  const inEntity = (i: number): boolean => entities.some((e) => i > e.start && i < e.end);
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if (!hidden.has(i)) out.push(words[i]!);
    else if (placeholderAt.has(i)) {
      if (out[out.length - 1] === HELD_BACK) out.pop(); // "是 [CN_MOBILE]": the held word joins the placeholder
      out.push(placeholderAt.get(i)!);
    }
    else if (!inEntity(i) && out[out.length - 1] !== HELD_BACK) out.push(HELD_BACK);
  }
  return { text: out.join(' '), hidden };
}
