/** Partials never show a word that the final of the same utterance masks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HELD_BACK, maskPartialWords } from './partial-hold-back.ts';
import { SAFE_TAIL_WORDS_EN, SAFE_TAIL_WORDS_ZH } from './partial-safe-words.ts';
import { detectPii } from './pii-detector.ts';
import { parseEvalJsonl } from './pii-eval.ts';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

for (const file of readdirSync(fixtures).filter((f) => f.endsWith('.jsonl'))) {
  const lang = file.includes('.zh.') ? 'zh' : 'en';
  test(`${file}: every prefix (a partial) hides every word its final masks`, () => {
    const lines = parseEvalJsonl(readFileSync(fixtures + file, 'utf8'));
    let checked = 0;
    for (const [n, line] of lines.entries()) {
      const words = line.text.split(' ');
      const finalMasked = new Set(detectPii(words, { lang }).flatMap((e) => Array.from({ length: e.end - e.start }, (_, k) => e.start + k)));
      for (let len = 1; len <= words.length; len++) {
        const { hidden } = maskPartialWords(words.slice(0, len), lang);
        for (const i of finalMasked) {
          if (i < len) assert.ok(hidden.has(i), `line ${n + 1}: partial of ${len} words shows word ${i}, which the final masks`);
        }
        checked++;
      }
    }
    assert.ok(checked > 100);
  });
}

test('number runs and the unsettled tail are held back; common words are not', () => {
  const view = (t: string) => maskPartialWords(t.split(' '), 'en').text;
  assert.equal(view('my card number is four one one one'), `my card number is ${HELD_BACK}`);
  assert.equal(view('press two for cards please'), `press ${HELD_BACK} for cards please`);
  assert.equal(view('what is my account balance'), 'what is my account balance');
  // "sarah" is not a common word: at the end of a partial it may be the start of an e-mail
  assert.equal(view('send it to sarah'), `send it to ${HELD_BACK}`);
  assert.equal(view('send it to sarah dot patel at'), `send it to ${HELD_BACK}`);
  // after a cue the value is held back even when the recognizer garbles it past recognition
  assert.equal(view('my email is john dogs with that'), `my email is ${HELD_BACK}`);
});

test('entities already certain in a partial show their placeholder', () => {
  const words = 'my card is four one one one one one one one one one one one one one one one thanks'.split(' ');
  assert.equal(maskPartialWords(words, 'en').text, 'my card is [CREDIT_CARD] thanks');
  assert.equal(maskPartialWords('我 的 手机号 是 幺 三 八 幺 二 三 四 五 六 七 八'.split(' '), 'zh').text, '我 的 手机号 [CN_MOBILE]');
});

test('no word the safe lists let through appears inside a labelled PII span', () => {
  for (const file of readdirSync(fixtures).filter((f) => f.endsWith('.jsonl'))) {
    const safe = file.includes('.zh.') ? SAFE_TAIL_WORDS_ZH : SAFE_TAIL_WORDS_EN;
    for (const [n, line] of parseEvalJsonl(readFileSync(fixtures + file, 'utf8')).entries()) {
      const words = line.text.toLowerCase().split(' ');
      for (const s of line.spans) {
        for (const w of words.slice(s.start, s.end)) assert.ok(!safe.has(w), `${file} line ${n + 1}: "${w}" is in a ${s.type} span but on the safe list`);
      }
    }
  }
});
