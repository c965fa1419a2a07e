/**
 * Fault: the node's data directory fills up mid-call (a 64 MB tmpfs as EARPIECE_DATA_DIR,
 * testing/fault-disk.ts; Redis is the test's own, elsewhere, as an operator's Redis would be). Once
 * the first customer sentence is final the disk is filled to the last byte: the later sentence must
 * still reach the agent as a final with its assist events, the node must log a clear error naming
 * the full disk, and nothing may crash. Then the disk is freed before the hang-up: the audio held in
 * memory meanwhile is written, and the call is archived with a recording as long as the call.
 * Skipped where a tmpfs cannot be mounted (not root), except under CI=true.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import pino from 'pino';
import { replayCall } from '@earpiece/telephony-bridge';
import { archiveOf, FAULT_CALL_SCRIPT, firstCustomerFinal, skipUnlessCi } from '../src/testing/fault-call.ts';
import { mountTinyDisk } from '../src/testing/fault-disk.ts';
import { startRestartableRedis } from '../src/testing/fault-redis.ts';
import { synthesizeCall } from '../src/testing/speech-audio.ts';
import { AgentSocketProbe, startTestStack, type TestStack } from '../src/testing/test-stack.ts';

test('the data directory fills up mid-call: a clear error is logged, the live transcript and assist go on', { timeout: 120_000 }, async (t) => {
  const disk = await mountTinyDisk(64);
  if ('unavailable' in disk) return skipUnlessCi(t, disk.unavailable);
  const redisDir = mkdtempSync(join(tmpdir(), 'ep-fault-disk-redis-'));
  const redis = await startRestartableRedis(redisDir);
  // The node's log lines, kept to find the error it reports (and echoed to stderr).
  const lines: Array<{ level: number; msg: string; err?: string }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as (typeof lines)[number]);
      process.stderr.write(chunk, () => done());
    },
  });
  let stack: TestStack | undefined;
  let agent: AgentSocketProbe | undefined;
  t.after(async () => {
    agent?.close();
    await disk.free();
    await stack?.close();
    await redis.close();
    await disk.close();
    rmSync(redisDir, { recursive: true, force: true });
  });
  stack = await startTestStack({ EARPIECE_DATA_DIR: disk.dir, REDIS_URL: redis.url }, { logger: pino({ level: 'warn' }, sink) });
  agent = await AgentSocketProbe.connect(stack.wsUrl, 'agent-1');

  const call = await synthesizeCall(FAULT_CALL_SCRIPT, { sampleRateHz: 8000 });
  const callId = 'fault-disk-1';
  const replay = replayCall({ serverUrl: stack.wsUrl, agentId: 'agent-1', callId, stereoWav: call.path, speed: 1 });
  await firstCustomerFinal(agent, callId);
  await disk.fill();
  const atFull = agent.messages.length;
  const afterFull = (m: (typeof agent.messages)[number]) => agent!.messages.indexOf(m) >= atFull;

  // Live: the sentence spoken after the disk filled up is final, with its assist events.
  const final = await agent.waitFor((m) => m.type === 'transcript.final' && m.callId === callId && m.role === 'customer' && /card|stole/.test(m.text) && afterFull(m), 30_000);
  assert.equal(final.type, 'transcript.final');
  await agent.waitFor((m) => m.type === 'intent' && m.callId === callId && afterFull(m), 15_000);
  await agent.waitFor((m) => m.type === 'assist.suggestions' && m.callId === callId && afterFull(m), 15_000);

  // A clear error: logged at error level, naming the full disk.
  const reported = lines.filter((l) => l.level >= 50 && /ENOSPC|no space|SQLITE_FULL|disk.*full|directory full/i.test(`${l.msg} ${l.err ?? ''}`));
  assert.ok(reported.length > 0, `an error naming the full disk was logged; got: ${JSON.stringify(lines.map((l) => l.msg))}`);
  t.diagnostic(`errors logged while the disk was full: ${[...new Set(reported.map((l) => l.msg))].join(' | ')}`);

  // Space again before the hang-up: the audio held meanwhile reaches the recording, with no gap.
  await disk.free();
  await agent.waitFor((m) => m.type === 'call.ended' && m.callId === callId, 30_000);
  await replay;
  await archiveOf(stack.node, callId, 60_000);
  const durationMs = (call.audio.channels[0]!.length / call.audio.sampleRateHz) * 1000;
  for (const rec of await stack.node.store.recordings(callId)) assert.ok(Math.abs(rec.durationMs - durationMs) <= 40, `${rec.role} recording ${rec.durationMs} ms of ${durationMs}`);
  assert.equal((await stack.node.store.getCall(callId))?.status, 'archived');
});
