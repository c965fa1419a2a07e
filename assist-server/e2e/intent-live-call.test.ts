/**
 * End to end, intent and emotion: a synthesized call is replayed by the bridge into a whole node
 * with the default trained models (npm run setup trains them). A customer asking about a lost card
 * must get that intent on the agent's socket within 150 ms (server clock) of the final transcript;
 * an angry customer must read as angry or frustrated.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { replayCall } from '@earpiece/telephony-bridge';
import type { AgentServerMessage, EmotionEvent, IntentEvent, TranscriptFinalEvent } from '../src/protocol/index.ts';
import { synthesizeCall, type ScriptLine } from '../src/testing/speech-audio.ts';
import { AgentSocketProbe, startTestStack, type TestStack } from '../src/testing/test-stack.ts';

const SCRIPT: ScriptLine[] = [
  { role: 'agent', text: 'thank you for calling how can I help you today' },
  { role: 'customer', text: 'I lost my card yesterday and I think somebody stole it' },
  { role: 'agent', text: 'I am sorry to hear that let me block it for you' },
  { role: 'customer', text: 'this is ridiculous I am really angry nobody ever helps me' },
];

let stack: TestStack;
before(async () => {
  stack = await startTestStack();
  assert.ok(stack.node.nlu?.intentModelVersion, 'the default intent model is installed (npm run setup trains it)');
});
after(async () => stack?.close());

test('lost card: the right intent reaches the agent within 150 ms of the final; anger reads as anger', async () => {
  const callId = 'e2e-intent';
  const call = await synthesizeCall(SCRIPT, { sampleRateHz: 16000 });
  const agent = await AgentSocketProbe.connect(stack.wsUrl, 'agent-1');
  await replayCall({ serverUrl: stack.wsUrl, agentId: 'agent-1', callId, stereoWav: call.path, speed: 1 });
  await agent.waitFor((m) => m.type === 'call.ended' && m.callId === callId, 20_000);
  const events = agent.messages.filter((m): m is Extract<AgentServerMessage, { callId: string; seq: number }> => 'callId' in m && m.callId === callId && 'seq' in m);

  const finals = events.filter((e): e is TranscriptFinalEvent => e.type === 'transcript.final' && e.role === 'customer');
  const lost = finals.find((f) => /lost|card|stole/.test(f.text));
  assert.ok(lost, `a customer final about the card: ${JSON.stringify(finals.map((f) => f.text))}`);
  const intents = events.filter((e): e is IntentEvent => e.type === 'intent');
  const final = intents.find((i) => i.utteranceId === lost.utteranceId && i.stage === 'final');
  assert.ok(final, `a final intent for "${lost.text}"`);
  assert.match(final.prediction.label, /lost_or_stolen_card|card_swallowed|compromised_card/, `intent for "${lost.text}": ${JSON.stringify(final.prediction)}`);
  assert.ok(final.atMs - lost.atMs <= 150, `intent ${final.atMs - lost.atMs} ms after the final transcript`);
  assert.ok(final.seq > lost.seq);
  assert.equal(final.modelVersion, stack.node.nlu!.intentModelVersion);

  const emotions = events.filter((e): e is EmotionEvent => e.type === 'emotion');
  assert.equal(emotions.length, finals.length, 'one emotion reading per customer final');
  const angryFinal = finals.find((f) => /angry|ridiculous|helps/.test(f.text));
  const angry = emotions.find((e) => e.utteranceId === angryFinal?.utteranceId);
  assert.ok(angry && ['angry', 'frustrated'].includes(angry.label), `emotion of "${angryFinal?.text}": ${JSON.stringify(angry)}`);
  assert.ok(angry.trend > emotions[0]!.trend, 'the call trend worsened');
  agent.close();
});
