/**
 * Brings written text (training data) and live text (lowercase recognizer output, PII masked) to one
 * form before featurizing: lowercase words without punctuation, numbers spelled as a recognizer
 * would say them ("£20" → "twenty pounds", "2nd" → "second"), PII placeholders such as
 * `[CREDIT_CARD]` or `[CREDIT_CARD …1111]` as one token `pii_credit_card`, emoji as words of their own.
 */

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const SCALES: [number, string][] = [
  [1e9, 'billion'],
  [1e6, 'million'],
  [1e3, 'thousand'],
  [100, 'hundred'],
];
const ORDINAL_WORDS: Record<string, string> = { one: 'first', two: 'second', three: 'third', five: 'fifth', eight: 'eighth', nine: 'ninth', twelve: 'twelfth' };
const CURRENCY: Record<string, string> = { '£': 'pounds', $: 'dollars', '€': 'euros', '¥': 'yen' };
/** Digit strings longer than this are not numbers anyone says as a whole (card, account numbers). */
const MAX_SPOKEN_DIGITS = 9;
export const LONG_NUMBER_TOKEN = 'num_long';

/** 1234 → "one thousand two hundred thirty four". */
export function numberToWords(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '';
  n = Math.floor(n);
  if (n < 20) return ONES[n]!;
  if (n < 100) return TENS[Math.floor(n / 10)]! + (n % 10 ? ' ' + ONES[n % 10]! : '');
  for (const [value, word] of SCALES) {
    if (n >= value) {
      const rest = n % value;
      return `${numberToWords(Math.floor(n / value))} ${word}${rest ? ' ' + numberToWords(rest) : ''}`;
    }
  }
  return '';
}

/** "twenty one" → "twenty first". */
function ordinalize(words: string): string {
  const parts = words.split(' ');
  const last = parts.pop()!;
  const ord = ORDINAL_WORDS[last] ?? (last.endsWith('y') ? last.slice(0, -1) + 'ieth' : last + 'th');
  return [...parts, ord].join(' ');
}

function spellNumber(digits: string, fraction: string | undefined): string {
  if (digits.length > MAX_SPOKEN_DIGITS) return ` ${LONG_NUMBER_TOKEN} `;
  let words = numberToWords(Number(digits));
  if (fraction) words += ' point ' + [...fraction].map((d) => ONES[Number(d)]).join(' ');
  return ` ${words} `;
}

export function normalizeText(text: string): string {
  let s = text.normalize('NFKC');
  s = s.replace(/\[([A-Z][A-Z0-9_]*)[^\]]*\]/g, (_m, type: string) => ` pii_${type.toLowerCase()} `);
  s = s.toLowerCase();
  s = s.replace(/(\d),(?=\d{3}\b)/g, '$1'); // 1,000 → 1000
  // "£20.50" → "twenty pounds fifty", as it is said
  s = s.replace(/([£$€¥])\s?(\d+)(?:\.(\d\d?))?(?!\d)/g, (_m, cur: string, d: string, f: string | undefined) => `${spellNumber(d, undefined)} ${CURRENCY[cur]} ${f && Number(f) ? numberToWords(Number(f.padEnd(2, '0'))) : ''} `);
  s = s.replace(/(\d+)(st|nd|rd|th)\b/g, (_m, d: string) => (d.length > MAX_SPOKEN_DIGITS ? ` ${LONG_NUMBER_TOKEN} ` : ` ${ordinalize(numberToWords(Number(d)))} `));
  s = s.replace(/(\d+)(?:\.(\d+))?/g, (_m, d: string, f: string | undefined) => spellNumber(d, f));
  s = s.replace(/%/g, ' percent ').replace(/&/g, ' and ').replace(/@/g, ' at ').replace(/\+/g, ' plus ');
  s = s.replace(/['’`´]/g, ''); // don't → dont: recognizers differ in apostrophes, so none at all
  s = s.replace(/(\p{Extended_Pictographic})/gu, ' $1 '); // emoji (written text) are words of their own
  s = s.replace(/[^\p{L}\p{N}_\p{Extended_Pictographic}]+/gu, ' ');
  return s.trim().replace(/\s+/g, ' ');
}

export function words(normalized: string): string[] {
  return normalized ? normalized.split(' ') : [];
}
