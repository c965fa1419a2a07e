/**
 * Spoken e-mail addresses: "john dot smith at gmail dot com", "j o h n underscore doe eighty two at
 * yahoo dot com", "mary dash ann at example dot co dot uk", "peter at g mail dot com", and as a Mandarin
 * recognizer writes them ("幺 二 三 四 at qq dot com", "xiaoli 九 九 艾特 qq 点 com"). Returns the address and word range.
 */
import { parseGroupEn, parseNumberRunsEn } from './spoken-number-en.ts';
import { wordDigitsZh } from './spoken-number-zh.ts';

export interface EmailMatch {
  start: number;
  end: number;
  value: string;
}

const SEP: Record<string, string> = { dot: '.', period: '.', underscore: '_', dash: '-', hyphen: '-', 点: '.' };
/** "at" as said in English, and as a Mandarin recognizer writes it (艾特); "dot" likewise (点). */
const AT = new Set(['at', '@', '艾特']);
const DOT = new Set(['dot', '点']);
/** A number word in either language ("eighty", "幺"), read as digits; null otherwise. */
function numberWord(w: string): string | null {
  if (/^[a-z]$/.test(w)) return null;
  return parseGroupEn([w], 0, true)?.digits ?? wordDigitsZh(w);
}
const TLDS = new Set(['com', 'net', 'org', 'edu', 'gov', 'io', 'co', 'us', 'uk', 'cn', 'info', 'biz', 'me', 'ca', 'de', 'au', 'in']);
const STOP = new Set([
  'is', 'my', 'email', "email's", 'e-mail', 'address', "it's", 'it', 'its', 'the', 'at', 'to', 'me', 'send', 'and', 'or', 'you', 'can',
  'reach', 'was', 'that', 'this', 'mail', 'on', 'use', 'so', 'yes', 'yeah', 'okay', 'ok', 'well', 'um', 'uh', 'please', 'be', 'should',
  'new', 'old', 'i', 'a', 'an', 'just', 'actually', 'write', 'down', 'address', 'try', 'of', 'for', 'with', 'from', 'account',
]);

function atomEnd(words: string[], i: number): number {
  return words[i] === undefined ? i : i + 1;
}

/** Joins local-part tokens; consecutive number words are read together ("eighty two" = 82). */
function localPart(parts: string[]): string {
  let out = '';
  for (let i = 0; i < parts.length; ) {
    let j = i;
    while (j < parts.length && numberWord(parts[j]!) !== null) j += 1;
    if (j > i) {
      const en = parseNumberRunsEn(parts.slice(i, j)).map((r) => r.digits).join('');
      out += en.length > 0 ? en : parts.slice(i, j).map(numberWord).join('');
      i = j;
    } else out += parts[i++];
  }
  return out;
}

/** Finds addresses around every "at" followed by domain "dot" tld. */
export function findSpokenEmails(words: string[], maxFreeWords = 2): EmailMatch[] {
  const out: EmailMatch[] = [];
  for (let at = 1; at < words.length; at++) {
    if (!AT.has(words[at]!)) continue;
    // domain: label (dot label)* ending in a tld
    let j = at + 1;
    let domain = '';
    let lastTld = -1;
    const label = (w: string | undefined): boolean => w !== undefined && /^[a-z0-9-]+$/.test(w) && !(w in SEP);
    while (label(words[j])) {
      domain += words[j];
      j = atomEnd(words, j);
      // a label the recognizer split in two ("g mail", "hot mail", "i cloud") right before its dot
      if (label(words[j]) && DOT.has(words[j + 1]!)) {
        domain += words[j];
        j += 1;
      }
      if (DOT.has(words[j]!) && words[j + 1] !== undefined) {
        domain += '.';
        j += 1;
        if (TLDS.has(words[j]!)) lastTld = j;
      } else if (words[j] === 'dash' || words[j] === 'hyphen') {
        domain += '-';
        j += 1;
      } else break;
    }
    if (lastTld < 0) continue;
    const end = j;
    // local part backwards: atoms (letters, numbers, one free word per segment) joined by separators
    let s = at;
    const parts: string[] = [];
    let wordsInSeg = 0;
    for (let k = at - 1; k >= 0; k--) {
      const w = words[k]!;
      if (w in SEP) {
        if (k === at - 1 || k === 0) break;
        parts.unshift(SEP[w]!);
        wordsInSeg = 0;
        continue;
      }
      const isLetter = /^[a-z]$/.test(w);
      if (!isLetter && STOP.has(w)) break;
      if (/\p{Script=Han}/u.test(w) && wordDigitsZh(w) === null) break; // 邮箱 是 …: a local part is letters and digits
      const isNum = numberWord(w) !== null;
      if (!isLetter && !isNum) {
        if (wordsInSeg >= maxFreeWords) break;
        wordsInSeg += 1;
      }
      parts.unshift(w);
      s = k;
    }
    const local = localPart(parts);
    if (s === at || /^[._-]/.test(local)) continue;
    out.push({ start: s, end, value: `${local}@${domain.replace(/\.$/, '')}` });
    at = end - 1;
  }
  return out;
}
