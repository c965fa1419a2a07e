/**
 * End to end, suggested articles: synthesized calls are replayed by the bridge into a whole node
 * (PocketSphinx, the default trained intent model, the default banking knowledge pack). The agent
 * must see the right article among the top three for a lost card and for a transfer the recipient
 * did not get; an article added over the API must show up on the next call; "not helpful" clicks
 * sent from the agent's socket must move an article down on the next call.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { replayCall } from '@earpiece/telephony-bridge';
import type { AgentServerMessage, SuggestionsEvent, TranscriptFinalEvent } from '../src/protocol/index.ts';
import { synthesizeCall, type ScriptLine } from '../src/testing/speech-audio.ts';
import { AgentSocketProbe, startTestStack, type TestStack } from '../src/testing/test-stack.ts';

const GREETING: ScriptLine = { role: 'agent', text: 'thank you for calling how can I help you today' };
const LOST: ScriptLine = { role: 'customer', text: 'I lost my card yesterday and I think somebody stole it' };
const TRANSFER: ScriptLine = { role: 'customer', text: 'I sent money to my friend last week but she still has not received the transfer' };

let stack: TestStack;
let agent: AgentSocketProbe;
before(async () => {
  stack = await startTestStack();
  assert.ok(stack.node.nlu?.intentModelVersion, 'the default intent model is installed (npm run setup trains it)');
  assert.ok((await stack.node.knowledge.count()) > 0, 'the default knowledge pack was imported at start');
  agent = await AgentSocketProbe.connect(stack.wsUrl, 'agent-1');
});
after(async () => {
  agent?.close();
  await stack?.close();
});

/** Replays a call; returns each customer final with the final suggestions the agent got for it. */
async function runCall(callId: string, script: ScriptLine[]): Promise<Array<{ final: TranscriptFinalEvent; suggestions: SuggestionsEvent | undefined }>> {
  const call = await synthesizeCall(script, { sampleRateHz: 16000 });
  await replayCall({ serverUrl: stack.wsUrl, agentId: 'agent-1', callId, stereoWav: call.path, speed: 'max' });
  await agent.waitFor((m) => m.type === 'call.ended' && m.callId === callId, 30_000);
  const events = agent.messages.filter((m): m is Extract<AgentServerMessage, { callId: string; seq: number }> => 'callId' in m && m.callId === callId && 'seq' in m);
  const finals = events.filter((e): e is TranscriptFinalEvent => e.type === 'transcript.final' && e.role === 'customer');
  return finals.map((final) => ({
    final,
    suggestions: events.find((e): e is SuggestionsEvent => e.type === 'assist.suggestions' && e.utteranceId === final.utteranceId && e.stage === 'final'),
  }));
}

function forLine(results: Awaited<ReturnType<typeof runCall>>, cue: RegExp) {
  const r = results.find((x) => cue.test(x.final.text));
  assert.ok(r, `a customer final matching ${cue}: ${JSON.stringify(results.map((x) => x.final.text))}`);
  assert.ok(r.suggestions, `final suggestions for "${r.final.text}"`);
  return { text: r.final.text, ids: r.suggestions.suggestions.map((s) => s.articleId), event: r.suggestions };
}

/** The article ids' intents, from the node's knowledge base. */
async function intentsOf(ids: string[]): Promise<Map<string, string[]>> {
  return new Map([...(await stack.node.knowledge.getMany(ids))].map(([id, a]) => [id, a.intents]));
}

const topTagged = async (ids: string[], intent: string) => {
  const intents = await intentsOf(ids.slice(0, 3));
  return ids.slice(0, 3).some((id) => intents.get(id)?.includes(intent));
};

let lostBefore: string[] = [];

test('the right article is in the top three for a lost card and for a transfer the recipient did not get', async () => {
  const results = await runCall('e2e-assist-1', [GREETING, LOST, { role: 'agent', text: 'I have blocked it is there anything else' }, TRANSFER]);
  const lost = forLine(results, /lost|card|stole/);
  assert.ok(await topTagged(lost.ids, 'lost_or_stolen_card'), `"${lost.text}" → ${JSON.stringify(lost.event.suggestions)}`);
  const lostIntents = await intentsOf(lost.ids);
  const why = lost.event.suggestions.find((s) => lostIntents.get(s.articleId)?.includes('lost_or_stolen_card'))!.why;
  assert.equal(why.intent, 'lost_or_stolen_card');
  assert.ok(lost.event.suggestions.every((s) => s.confidence > 0 && s.confidence <= 1 && s.answer.length > 0));
  const transfer = forLine(results, /transfer|received|money/);
  assert.ok(await topTagged(transfer.ids, 'transfer_not_received_by_recipient'), `"${transfer.text}" → ${JSON.stringify(transfer.event.suggestions)}`);
  assert.ok((await stack.node.store.events('e2e-assist-1')).some((e) => e.type === 'assist.suggestions'), 'suggestions are stored with the call');
  lostBefore = lost.ids;
});

test('an article added over the API is suggested on the next call; not-helpful clicks move an article down', async () => {
  assert.ok(lostBefore.length > 0, 'the first test ran');
  const res = await fetch(`${stack.httpUrl}/api/kb/articles`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await stack.authHeaders()) },
    body: JSON.stringify({
      id: 'lost-card-yesterday',
      title: 'Card lost or stolen yesterday: check for card payments since',
      intents: ['lost_or_stolen_card'],
      keywords: ['lost', 'stole', 'yesterday', 'somebody'],
      answer: 'I have frozen the card; let us go through the payments made since yesterday together.',
    }),
  });
  assert.equal(res.status, 201);
  assert.ok(!lostBefore.includes('lost-card-yesterday'));

  const second = forLine(await runCall('e2e-assist-2', [GREETING, LOST]), /lost|card|stole/);
  assert.ok(second.ids.includes('lost-card-yesterday'), `the new article is suggested: ${JSON.stringify(second.ids)}`);
  const first = second.ids[0]!;

  for (let i = 0; i < 4; i++) {
    agent.socket.send(JSON.stringify({ type: 'assist.feedback', callId: 'e2e-assist-2', articleId: first, utteranceId: second.event.utteranceId, action: 'not_helpful' }));
  }
  // feedback is handled in order: the error for an unknown article means the clicks before it are recorded
  agent.socket.send(JSON.stringify({ type: 'assist.feedback', callId: 'e2e-assist-2', articleId: 'no-such-article', action: 'used' }));
  await agent.waitFor((m) => m.type === 'error' && m.code === 'EARPIECE_KB_ARTICLE_NOT_FOUND', 5000);
  agent.socket.send(JSON.stringify({ type: 'assist.feedback', callId: 'no-such-call', articleId: first, action: 'used' }));
  await agent.waitFor((m) => m.type === 'error' && m.code === 'EARPIECE_CALL_NOT_FOUND', 5000);

  const third = forLine(await runCall('e2e-assist-3', [GREETING, LOST]), /lost|card|stole/);
  if (process.env.EARPIECE_TEST_VERBOSE) console.error(JSON.stringify({ lostBefore, second: second.event.suggestions, third: third.event.suggestions }, null, 1));
  assert.notEqual(third.ids[0], first, `after not-helpful clicks ${first} is no longer first: ${JSON.stringify(third.event.suggestions)}`);
});
