/**
 * Mandarin spoken-number parsing: 零一二三四五六七八九 (幺 = 1, 两 = 2), cardinals with 十/百
 * (十五 = 15, 二十三 = 23), a final 叉/X as an ID check character, hesitations (嗯, 呃, 那个) and
 * corrections (不对 / 说错了 followed by the right digits), 要 (a homophone the recognizer writes for 幺)
 * between digits. Words may hold one or several characters.
 */
import { restartReadings, type DigitRun } from './digit-run.ts';

const ZH_DIGITS: Record<string, string> = {
  零: '0', 〇: '0', 一: '1', 幺: '1', 二: '2', 两: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9',
};
const FILLERS_ZH = new Set(['嗯', '呃', '那个', '啊', '额', '就是']);
const SEPARATORS_ZH = new Set(['杠', '-']);
const CORRECTIONS_ZH = new Set(['不对', '说错了', '错了']);
const CHECK_X = new Set(['叉', 'x', 'X', '艾克斯']);

/** Digits a single word denotes, or null. "十五" = 15, "幺三八" = 138, "2" = 2. */
export function wordDigitsZh(word: string): string | null {
  if (/^\d+$/.test(word)) return word;
  if (word.length === 0) return null;
  if (/[十百]/.test(word)) return cardinalZh(word);
  let out = '';
  for (const ch of word) {
    const d = ZH_DIGITS[ch];
    if (d === undefined) return null;
    out += d;
  }
  return out;
}

const isDigitWordZh = (w: string | undefined): boolean => w !== undefined && wordDigitsZh(w) !== null;

/** 十五 = 15, 二十三 = 23, 一百零五 = 105, 三百二十 = 320; null when not a cardinal. */
function cardinalZh(word: string): string | null {
  const m = /^(?:(\S)百)?(零)?(?:(\S)?十)?(\S)?$/u.exec(word);
  if (!m) return null;
  const d = (c: string | undefined, dflt: number): number | null => (c === undefined ? dflt : c in ZH_DIGITS ? Number(ZH_DIGITS[c]) : null);
  const h = m[1] !== undefined ? d(m[1], 0) : 0;
  const hasTen = word.includes('十');
  const t = hasTen ? d(m[3], 1) : 0;
  const u = d(m[4], 0);
  if (h === null || t === null || u === null || (m[2] && !word.includes('百'))) return null;
  return String(h * 100 + t * 10 + u);
}

/** Finds every number run; a run may end with X when the last word is 叉/X. */
export function parseNumberRunsZh(words: string[]): DigitRun[] {
  const runs: DigitRun[] = [];
  let i = 0;
  while (i < words.length) {
    if (wordDigitsZh(words[i]!) === null) {
      i += 1;
      continue;
    }
    let digits = '';
    let groupCount = 0;
    let segStart = 0;
    let restart: { prev: string; at: number; correction: boolean } | null = null;
    let j = i;
    let end = i;
    for (;;) {
      const w = words[j];
      if (w === undefined) break;
      // a recognizer writes 幺 as its homophone 要 ("幺 三 要 六"): only between two digit words
      const d = w === '要' && digits.length > 0 && isDigitWordZh(words[j + 1]) ? '1' : wordDigitsZh(w);
      if (d !== null) {
        digits += d;
        groupCount += 1;
        j += 1;
        end = j;
        continue;
      }
      // the check character, also after a hesitation ("… 九 三 嗯 叉")
      const x = CHECK_X.has(w) ? j : FILLERS_ZH.has(w) && CHECK_X.has(words[j + 1]!) ? j + 1 : -1;
      if (x >= 0 && digits.length === 17) {
        digits += 'X';
        j = x + 1;
        end = j;
        break;
      }
      const nextDigits = words[j + 1] !== undefined ? wordDigitsZh(words[j + 1]!) : null;
      if ((FILLERS_ZH.has(w) || SEPARATORS_ZH.has(w)) && nextDigits !== null) {
        if (FILLERS_ZH.has(w)) {
          restart = { prev: digits.slice(segStart), at: digits.length, correction: false };
          segStart = digits.length;
        }
        j += 1;
        continue;
      }
      const k = words[j + 1] === '是' ? j + 2 : j + 1;
      if (CORRECTIONS_ZH.has(w) && digits.length > 0 && words[k] !== undefined && wordDigitsZh(words[k]!) !== null) {
        restart = { prev: digits.slice(segStart), at: digits.length, correction: true };
        segStart = digits.length;
        j = k;
        continue;
      }
      break;
    }
    const alternatives: string[] = [];
    if (restart && restart.prev.length > 0 && digits.length > restart.at) {
      const [primary, ...rest] = restartReadings(digits.slice(0, restart.at), restart.prev, digits.slice(restart.at), restart.correction);
      digits = primary!;
      alternatives.push(...rest);
    }
    runs.push({ start: i, end, digits, alternatives, plus: false, groupCount });
    i = end;
  }
  return runs;
}
