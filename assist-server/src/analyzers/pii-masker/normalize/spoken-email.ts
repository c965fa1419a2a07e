/**
 * Spoken e-mail addresses: "john dot smith at gmail dot com", "j o h n underscore doe eighty two at
 * yahoo dot com", "mary dash ann at example dot co dot uk". Returns the canonical address and word range.
 */
import { parseGroupEn, parseNumberRunsEn } from './spoken-number-en.ts';

export interface EmailMatch {
  start: number;
  end: number;
  value: string;
}

const SEP: Record<string, string> = { dot: '.', period: '.', underscore: '_', dash: '-', hyphen: '-' };
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
    while (j < parts.length && parseGroupEn([parts[j]!], 0, true) !== null && !/^[a-z]$/.test(parts[j]!)) j += 1;
    if (j > i) {
      out += parseNumberRunsEn(parts.slice(i, j)).map((r) => r.digits).join('') || parts.slice(i, j).join('');
      i = j;
    } else out += parts[i++];
  }
  return out;
}

/** Finds addresses around every "at" followed by domain "dot" tld. */
export function findSpokenEmails(words: string[], maxFreeWords = 2): EmailMatch[] {
  const out: EmailMatch[] = [];
  for (let at = 1; at < words.length; at++) {
    if (words[at] !== 'at' && words[at] !== '@') continue;
    // domain: label (dot label)* ending in a tld
    let j = at + 1;
    let domain = '';
    let lastTld = -1;
    while (words[j] !== undefined && /^[a-z0-9-]+$/.test(words[j]!) && !(words[j]! in SEP)) {
      domain += words[j];
      j = atomEnd(words, j);
      if (words[j] === 'dot' && words[j + 1] !== undefined) {
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
      const isNum = parseGroupEn([w], 0, true) !== null;
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
