/**
 * Keyword frequency for the word cloud, from masked utterance text. Words come from Intl.Segmenter
 * (word granularity, 'zh': splits Mandarin into words and English on spaces), lower-cased. Left out:
 * PII placeholders ([CREDIT_CARD], [CN_MOBILE …1234]: the whole bracket, before segmenting), any token
 * containing a digit, English and Mandarin stop words (npm `stopword` eng + zho lists plus call filler
 * words below), and single Latin letters.
 */
import { eng, zho } from 'stopword';
import type { KeywordCount } from '../protocol/analytics.ts';

export type { KeywordCount };

/** Call-centre filler the general lists miss. */
const CALL_FILLER = ['um', 'uh', 'erm', 'hmm', 'mm', 'ok', 'okay', 'yeah', 'yes', 'yep', 'hi', 'hello', 'thanks', 'thank', 'please', 'just', 'right', 'well', "i'm", "it's", "don't", "that's", "can't", "i'll", "you're", '嗯', '啊', '呃', '哦', '喂', '好的', '谢谢', '是的', '那个', '就是', '一下', '我们', '你们', '他们', '我的', '你的', '可以', '没有', '什么'];
const STOP_WORDS = new Set([...eng, ...zho, ...CALL_FILLER].map((w) => w.toLowerCase()));
const PLACEHOLDER = /\[[^\]]*\]/g;
const HAS_DIGIT = /\p{N}/u;
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

export function keywordTokens(text: string): string[] {
  const out: string[] = [];
  for (const s of segmenter.segment(text.replace(PLACEHOLDER, ' '))) {
    if (!s.isWordLike) continue;
    const word = s.segment.toLowerCase().replace(/^['’]+|['’]+$/g, '');
    if (word === '' || HAS_DIGIT.test(word) || STOP_WORDS.has(word)) continue;
    if (/^[a-z]$/.test(word)) continue;
    out.push(word);
  }
  return out;
}

/** The `limit` most frequent keywords (ties: more calls, then alphabetical). */
export function keywordFrequency(utterances: Iterable<{ callId: string; text: string }>, limit = 60): KeywordCount[] {
  const counts = new Map<string, { count: number; calls: Set<string> }>();
  for (const u of utterances) {
    for (const word of keywordTokens(u.text)) {
      const c = counts.get(word) ?? { count: 0, calls: new Set<string>() };
      c.count++;
      c.calls.add(u.callId);
      counts.set(word, c);
    }
  }
  return [...counts]
    .map(([word, c]) => ({ word, count: c.count, calls: c.calls.size }))
    .sort((a, b) => b.count - a.count || b.calls - a.calls || a.word.localeCompare(b.word))
    .slice(0, limit);
}
