import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compilePhrase, PhraseSet, scorePhrase, tokenize } from './phrase-matcher.ts';

const set = (phrases: string[], min = 0.8, words: string[] = []) => new PhraseSet(phrases, min, words);
const matches = (s: PhraseSet, text: string) => s.match(tokenize(text));

const DISCLOSURE = set(['this call is being recorded', 'recorded for quality and training', 'this call may be recorded']);

test('recognizer variants of the recording disclosure match; other sentences do not', () => {
  // hand-written variants: a sound-alike word, a re-split word, a dropped word, another ending
  for (const heard of ['this call maybe recorded', 'this coal is being recorded', 'the call is recorded', 'this call is being record', 'thank you for calling THIS CALL IS BEING RECORDED.']) {
    assert.ok(matches(DISCLOSURE, heard), `"${heard}" should count as the disclosure`);
  }
  // what PocketSphinx (en-us) made of flite voices kal, slt and awb at 8 kHz saying
  // "this call is being recorded for quality and training purposes"
  for (const heard of ['this bill is being recorded for quality and training but use', 'it all into being recorded for quality and training targeted', 'that always been recorded for quality entertainment purposes']) {
    assert.ok(matches(DISCLOSURE, heard), `"${heard}" should count as the disclosure`);
  }
  for (const other of ['this call is being transferred to a colleague', 'your call is important to us', 'good morning how can I help you', 'I recorded the payment yesterday']) {
    assert.equal(matches(DISCLOSURE, other), null, `"${other}" is not the disclosure`);
  }
});

test('a missing key word is not made up for by shared letters and stop words', () => {
  const verified = set(['I have verified your identity']);
  assert.ok(matches(verified, 'i have verified or identity thank you'), 'PocketSphinx on "I have verified your identity thank you"');
  assert.ok(matches(verified, 'i verified your identity'));
  assert.equal(matches(verified, 'i have verified your address'), null);
  assert.equal(matches(verified, 'have you verified your email'), null);
  const s = scorePhrase(compilePhrase('I have verified your identity'), tokenize('i have verified your address'));
  assert.ok(s && s.similarity < 0.75, `similarity ${s?.similarity}`);
});

test('short phrases need a closer match; one-word phrases and words match by stem only', () => {
  const returns = set(['guaranteed returns'], 0.8, ['guaranteed']);
  assert.equal(matches(returns, 'i can promise you guaranteed return on investment')?.evidence, 'guaranteed return');
  assert.equal(matches(returns, 'we guarantee it')?.phrase, 'guaranteed', 'the word by its stem');
  assert.equal(matches(returns, 'returns are processed in five days'), null);
  const profanity = set([], 0.8, ['damn', 'hell']);
  assert.equal(matches(profanity, 'hello how are you'), null, 'hello is not hell');
  assert.equal(matches(profanity, 'damned if I know')?.evidence, 'damned');
  assert.ok(set(['refund']).match(tokenize('it was refunded')), 'same stem');
  assert.equal(set(['refund']).match(tokenize('the fund is closed')), null, 'a near word is not the word');
});

test('evidence is the masked words of the utterance; placeholders match only themselves', () => {
  const m = matches(set(['your balance is']), 'okay so Your balance is [BANK_ACCOUNT …1234] right now');
  assert.equal(m?.evidence, 'Your balance is');
  const card = set(['your card number is [CREDIT_CARD]']);
  assert.ok(matches(card, 'so your card number is [CREDIT_CARD]'));
  assert.equal(matches(card, 'so your card number is four'), null);
  assert.deepEqual(
    tokenize("I can't risk-free [CREDIT_CARD …1111]").map((t) => [t.norm, t.raw]),
    [
      ['i', 'I'],
      ['cant', "can't"],
      ['risk', 'risk-free'],
      ['free', 'risk-free'],
      ['#pii', '[CREDIT_CARD …1111]'],
    ],
  );
});

test('escalation requests are heard in their usual forms', () => {
  const escalate = set(['speak to a manager', 'talk to your supervisor', 'speak to your supervisor']);
  for (const heard of ['i would like to speak to a manager please', 'can i talk to your supervisor', 'let me speak to the manager', 'i want to speak to a supervisor now']) {
    assert.ok(matches(escalate, heard), heard);
  }
  assert.equal(matches(escalate, 'my manager told me to call you'), null);
});
