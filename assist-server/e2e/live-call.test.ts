/**
 * End to end: a synthesized two-leg call (flite speech) is replayed at real-time pace by the
 * telephony bridge into a whole Earpiece node (PocketSphinx, private Redis, SQLite); the agent's
 * socket must see the expected words first as partials, then as finals, on the right legs; the
 * archive must hold the call's recordings and transcript. Once at 16 kHz, once telephone 8 kHz.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { replayCall } from '@earpiece/telephony-bridge';
import { readWav } from '../src/audio/wav-file.ts';
import type { AgentServerMessage, TranscriptFinalEvent } from '../src/protocol/index.ts';
import { synthesizeCall, type ScriptLine } from '../src/testing/speech-audio.ts';
import { AgentSocketProbe, startTestStack, type TestStack } from '../src/testing/test-stack.ts';

const SCRIPT: ScriptLine[] = [
  { role: 'agent', text: 'thank you for calling how can I help you today' },
  { role: 'customer', text: 'I would like to check the balance of my account' },
];

let stack: TestStack;
before(async () => {
  stack = await startTestStack();
});
after(async () => stack.close());

for (const rate of [16000, 8000]) {
  test(`a ${rate / 1000} kHz call reaches the agent as partials then finals, and is archived`, async () => {
    const callId = `e2e-${rate}`;
    const call = await synthesizeCall(SCRIPT, { sampleRateHz: rate });
    const agent = await AgentSocketProbe.connect(stack.wsUrl, 'agent-1');
    const replay = await replayCall({ serverUrl: stack.wsUrl, agentId: 'agent-1', callId, callerNumber: '+14155550142', stereoWav: call.path, speed: 1 });
    assert.ok(replay.framesSent > 0);
    await agent.waitFor((m) => m.type === 'call.ended' && m.callId === callId, 15_000);
    agent.close();

    const events = agent.messages.filter((m): m is Extract<AgentServerMessage, { callId: string; seq: number }> => 'callId' in m && m.callId === callId && 'seq' in m);
    assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => i + 1), 'per-call seq rises by one, no gaps');
    const started = events[0]!;
    assert.ok(started.type === 'call.started' && started.call.callerNumber === '•••• 0142', 'caller number masked');

    const finals = events.filter((e): e is TranscriptFinalEvent => e.type === 'transcript.final');
    const customerText = finals.filter((f) => f.role === 'customer').map((f) => f.text).join(' ');
    const agentText = finals.filter((f) => f.role === 'agent').map((f) => f.text).join(' ');
    assert.match(customerText, /balance/, `customer final: "${customerText}"`);
    assert.match(customerText, /account/);
    assert.match(agentText, /calling/, `agent final: "${agentText}"`);
    assert.match(agentText, /help/);
    assert.doesNotMatch(agentText, /balance/, 'customer words are not labelled as the agent');

    // The word reached the socket as a partial before its final.
    const firstBalance = events.findIndex((e) => (e.type === 'transcript.partial' || e.type === 'transcript.final') && e.role === 'customer' && /balance/.test(e.text));
    assert.equal(events[firstBalance]!.type, 'transcript.partial', 'a partial carried "balance" before the final did');
    const finalIdx = events.findIndex((e) => e.type === 'transcript.final' && e.role === 'customer' && /balance/.test(e.text));
    assert.ok(firstBalance < finalIdx);

    // Word times line up with where the customer's line lies in the call.
    const line = call.lines[1]!;
    for (const w of finals.filter((f) => f.role === 'customer').flatMap((f) => f.words)) {
      assert.ok(w.startMs >= line.startMs - 300 && w.endMs <= line.endMs + 300, `word ${w.word} at ${w.startMs}-${w.endMs} outside ${line.startMs}-${line.endMs}`);
      assert.ok(w.confidence >= 0 && w.confidence <= 1);
    }

    // Archive: per-leg recordings of the whole call, transcript and events.
    const archived = await stack.node.postCall.waitForArchive(callId);
    assert.equal(archived.recordings.length, 2);
    const durationMs = Math.round((call.audio.channels[0]!.length / rate) * 1000);
    for (const rec of archived.recordings) {
      assert.ok(existsSync(rec.path));
      assert.equal(createHash('sha256').update(readFileSync(rec.path)).digest('hex'), rec.sha256, 'stored sha256 matches the file');
      const wav = await readWav(rec.path);
      assert.equal(wav.sampleRateHz, rate);
      assert.ok(Math.abs(rec.durationMs - durationMs) <= 20, `${rec.role} recording ${rec.durationMs} ms of ${durationMs}`);
      const source = call.audio.channels[rec.role === 'agent' ? 0 : 1]!;
      assert.deepEqual(wav.channels[0]!.subarray(0, 8000), source.subarray(0, 8000), `${rec.role}.wav holds that leg's audio`);
    }
    assert.deepEqual(readdirSync(archived.archiveDir).filter((f) => f.includes('original')), [], 'no unredacted originals unless a site opts in');
    const transcript = JSON.parse(readFileSync(join(archived.archiveDir, 'transcript.json'), 'utf8')) as { utterances: Array<{ role: string; text: string }> };
    assert.match(transcript.utterances.filter((u) => u.role === 'customer').map((u) => u.text).join(' '), /balance/);
    assert.ok(readFileSync(join(archived.archiveDir, 'events.jsonl'), 'utf8').includes('"call.ended"'));
    assert.equal((await stack.node.store.getCall(callId))!.status, 'archived');
  });
}
