/** The caller's own name: "my name is …", "last name is …", spelled names ("that's j o h n"), "我叫 …". */
import type { PiiDoc } from '../normalize/normalize-doc.ts';
import { before, type Candidate } from './context.ts';

const TRIGGERS = [['my', 'name', 'is'], ['name', 'is'], ["name's"], ['first', 'name', 'is'], ['last', 'name', 'is'], ['surname', 'is'], ['last', 'name'], ['first', 'name'],
  ['name', 'on', 'the', 'card', 'is'], ['name', 'on', 'the', 'account', 'is'], ['name', 'on', 'the', 'card'], ['name', 'on', 'the', 'account']];
const NOT_NAME = new Set([
  'and', 'i', 'calling', 'from', 'about', 'the', 'a', 'an', 'with', 'here', 'so', 'um', 'uh', 'just', 'not', 'is', 'was', 'on', 'in',
  'at', 'to', 'but', 'yes', 'no', 'okay', 'ok', 'please', 'spelled', 'that', "that's", 'it', "it's", 'on', 'the', 'account', 'under',
  'correct', 'right', 'wrong', 'also', 'still', 'same', 'different', 'again', 'for', 'thanks', 'thank', 'you', 'sorry', 'and', 'my', 'what',
]);
const SPELL_CUE = ['spelled', 'spell', "that's", 'thats', 'spelling', 'letters'];
const ZH_TRIGGER = ['我叫', '叫', '名字是', '名字叫', '姓名是', '姓名', '我姓', '免贵姓'];
const ZH_STOP = new Set(['，', '。', '的', '是', '我', '呢', '吧', '啊', '你', '好', '想', '要', '在', '有']);

export function personNameRecognizer(doc: PiiDoc): Candidate[] {
  const out: Candidate[] = [];
  const w = doc.lower;
  if (doc.lang === 'zh') {
    for (let i = 0; i < w.length; i++) {
      const joined = w.slice(Math.max(0, i - 2), i + 1).join('');
      if (!ZH_TRIGGER.some((t) => joined.endsWith(t)) || (w[i] === '叫' && w[i - 1] !== '我' && !joined.endsWith('名字叫'))) continue;
      let e = i + 1;
      if (w[e] === '是') e += 1;
      const s = e;
      const isStop = (x: string | undefined): boolean => x === undefined || x === '' || ZH_STOP.has(x) || [...x].length > 3;
      if (joined.endsWith('姓')) {
        // 我 姓 李 (木子 李): the surname, and the way it is explained
        e = isStop(w[s]) ? s : w[s + 2] === w[s] && !isStop(w[s + 1]) ? s + 3 : s + 1;
      } else if (!isStop(w[e]) && [...w[e]!].length >= 2) e += 1; // a segmented full name is one word
      else while (e < w.length && e - s < 3 && !isStop(w[e])) e += 1;
      if (e > s) out.push({ type: 'PERSON_NAME', start: s, end: e, confidence: 0.85 });
    }
    return out;
  }
  for (let i = 0; i < w.length; i++) {
    const t = TRIGGERS.find((p) => p.every((x, k) => w[i + k] === x));
    if (!t) continue;
    let s = i + t.length;
    const spelledHere = doc.spelled.find((r) => r.start === s);
    let e = s;
    if (spelledHere) e = spelledHere.end;
    else while (e < w.length && e - s < 2 && !NOT_NAME.has(w[e]!) && !doc.runs.some((r) => r.start === e) && !doc.spelled.some((r) => r.start === e)) e += 1;
    if (e === s) continue;
    // trailing spelling: "smith s m i t h" or "smith that's s m i t h"
    for (let k = e; k <= e + 2 && k < w.length; k++) {
      const sp = doc.spelled.find((r) => r.start === k && r.value.length >= 2);
      if (sp && (k === e || w.slice(e, k).every((x) => SPELL_CUE.includes(x)))) {
        e = sp.end;
        break;
      }
    }
    out.push({ type: 'PERSON_NAME', start: s, end: e, confidence: 0.85 });
    i = e - 1;
  }
  for (const sp of doc.spelled) {
    if (sp.value.length >= 3 && before(doc, sp.start, SPELL_CUE, 2) && !out.some((c) => c.start <= sp.start && c.end >= sp.end)) {
      out.push({ type: 'PERSON_NAME', start: sp.start, end: sp.end, confidence: before(doc, sp.start, ['name', 'last', 'first', 'surname'], 8) ? 0.85 : 0.6 });
    }
  }
  return out;
}
