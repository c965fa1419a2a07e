import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RecognizedWord } from '../../recognition/recognizer.ts';
import { parseMaskPolicy, PiiTranscriptMasker } from './pii-transcript-masker.ts';

/** Words 300 ms apart, as a recognizer would time them. */
function timed(text: string, from = 1000): RecognizedWord[] {
  return text.split(' ').map((word, i) => ({ word, startMs: from + i * 300, endMs: from + i * 300 + 250, confidence: 0.9 }));
}

const CARD = 'four five three nine one four eight eight zero three four three six four six seven';

test('a final: each entity becomes one placeholder word spanning its audio, with its entity record', () => {
  const masker = new PiiTranscriptMasker({ lang: 'en' });
  const words = timed(`my card number is ${CARD} thanks`);
  const out = masker.maskFinal('customer', words.map((w) => w.word).join(' '), words);
  assert.equal(out.text, 'my card number is [CREDIT_CARD] thanks');
  assert.deepEqual(out.words.map((w) => w.word), ['my', 'card', 'number', 'is', '[CREDIT_CARD]', 'thanks']);
  assert.equal(out.entities.length, 1);
  const [e] = out.entities;
  assert.deepEqual({ type: e!.type, wordIndex: e!.wordIndex, start: e!.start, end: e!.end }, { type: 'CREDIT_CARD', wordIndex: 4, start: 4, end: 20 });
  assert.equal(e!.startMs, words[4]!.startMs);
  assert.equal(e!.endMs, words[19]!.endMs);
  assert.deepEqual([out.words[4]!.startMs, out.words[4]!.endMs], [e!.startMs, e!.endMs]);
  assert.ok(e!.confidence > 0.5 && e!.confidence <= 1);
  assert.equal(out.words[5]!.startMs, words[20]!.startMs, 'words after the entity keep their own times');
});

test('policy last4 shows the last four digits, other types stay fully masked', () => {
  const masker = new PiiTranscriptMasker({ lang: 'en', policy: parseMaskPolicy('credit_card=last4') });
  const words = timed(`card ${CARD} and my social is two one nine zero nine one two three four`);
  const out = masker.maskFinal('customer', '', words);
  assert.equal(out.text, 'card [CREDIT_CARD …6467] and my social is [SSN]');
});

test('an utterance without PII passes unchanged; one without word times is still masked', () => {
  const masker = new PiiTranscriptMasker({ lang: 'en' });
  const plain = timed('what is my account balance');
  assert.deepEqual(masker.maskFinal('customer', 'what is my account balance', plain).words, plain);
  assert.equal(masker.maskFinal('customer', `my card is ${CARD}`, []).text, 'my card is [CREDIT_CARD]');
});

test('partials hold back what may still become PII; keypad digits and caller numbers are masked', () => {
  const masker = new PiiTranscriptMasker({ lang: 'en' });
  assert.equal(masker.maskPartial('customer', 'my card number is four five three nine'), 'my card number is …');
  assert.equal(masker.maskPartial('customer', ''), '');
  assert.equal(masker.maskDtmf('customer', '7'), '•');
  assert.equal(masker.maskCallerNumber('+1 415 555 0142'), '•••• 0142');
});

test('policy strings are validated', () => {
  assert.deepEqual(parseMaskPolicy(' PHONE=last4 , SSN=mask '), { PHONE: 'last4', SSN: 'mask' });
  assert.throws(() => parseMaskPolicy('PHONE=show'), /TYPE=mask or TYPE=last4/);
});
