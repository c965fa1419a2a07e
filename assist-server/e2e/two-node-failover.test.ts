/**
 * Two assist-server nodes (real `earpiece serve` child processes) share one Redis, one PostgreSQL
 * and one data directory. A call comes in through the bridge's client with both nodes listed; node
 * A takes it, and the agent, whose socket is on node B, gets its transcript over the event bus.
 * Node A is killed (SIGKILL) mid-call: the bridge reconnects to node B, which takes the call over
 * (ownership in Redis) and resumes it from the shared spool; the call finishes on B with a
 * recording identical to the audio sent (no gap, no repeat) and a transcript that carries on.
 * An agent socket and a supervisor watching the call, opened on B mid-call, get the call's snapshot
 * from A (request/reply over Redis).
 * Prints kill → call resumed on B and kill → next transcript event on the agent socket.
 * Skipped with the reason where PostgreSQL cannot start (fails under CI=true).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { replayCall } from '@earpiece/telephony-bridge';
import { readWav } from '../src/audio/wav-file.ts';
import { AuthService } from '../src/auth/auth-service.ts';
import { REPO_ROOT } from '../src/config.ts';
import { openDatabase } from '../src/db/open-database.ts';
import type { AgentServerMessage } from '../src/protocol/index.ts';
import { freePort } from '../src/net/free-port.ts';
import { startPrivateRedis } from '../src/redis/private-redis.ts';
import { synthesizeCall } from '../src/testing/speech-audio.ts';
import { resetSchema, testPostgresUrl } from '../src/testing/test-databases.ts';
import { AgentSocketProbe, TEST_USER_PASSWORD } from '../src/testing/test-stack.ts';

interface Node {
  nodeId: string;
  port: number;
  child: ChildProcess;
  httpUrl: string;
  wsUrl: string;
}

function startNode(nodeId: string, port: number, env: Record<string, string>): Promise<Node> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'assist-server/bin/earpiece.js'), 'serve'], {
    env: { ...process.env, ...env, EARPIECE_PORT: String(port), EARPIECE_NODE_ID: nodeId, EARPIECE_ASR_ENGINE: 'pocketsphinx', EARPIECE_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Earpiece is running')) resolve({ nodeId, port, child, httpUrl: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}` });
    });
    child.once('exit', (code) => reject(new Error(`node ${nodeId} exited early with ${code}: ${out}`)));
  });
}

/** Opens a socket and resolves with the first message matching `match` (then closes it). */
function firstMessage(url: string, headers: Record<string, string>, match: (m: AgentServerMessage) => boolean): Promise<AgentServerMessage> {
  const socket = new WebSocket(url, { headers });
  return new Promise<AgentServerMessage>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching message on ${url} within 10 s`)), 10_000);
    socket.on('message', (data) => {
      const m = JSON.parse(data.toString()) as AgentServerMessage;
      if (match(m)) (clearTimeout(timer), resolve(m));
    });
    socket.once('error', (err) => (clearTimeout(timer), reject(err)));
  }).finally(() => socket.close());
}

async function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

test('a node killed mid-call: the call finishes on the other node with a gap-free recording and a resumed transcript', { timeout: 180_000 }, async (t) => {
  const databaseUrl = await testPostgresUrl(t);
  if (!databaseUrl) return;
  await resetSchema(databaseUrl);
  const dataDir = mkdtempSync(join(tmpdir(), 'ep-two-node-'));
  const redis = await startPrivateRedis({ bin: 'redis-server', dataDir: join(dataDir, 'redis') });
  const cleanups: Array<() => unknown> = [() => redis.close()];
  t.after(async () => {
    for (const fn of cleanups.reverse()) await fn();
  });
  const db = await openDatabase({ databaseUrl, sqlitePath: join(dataDir, 'unused.db') });
  const auth = new AuthService(db, { sessionTtlMs: 3_600_000 });
  await auth.createUser({ username: 'agent-1', password: TEST_USER_PASSWORD, role: 'agent' });
  await auth.createUser({ username: 'sup-1', password: TEST_USER_PASSWORD, role: 'supervisor' });
  await db.close();

  const env = { DATABASE_URL: databaseUrl, REDIS_URL: redis.url, EARPIECE_DATA_DIR: dataDir };
  const nodes: Node[] = [];
  cleanups.push(async () => {
    for (const n of nodes) await killed(n.child);
  });
  // One after the other: the second finds the schema migrated.
  const a = await startNode('node-a', await freePort(), env);
  nodes.push(a);
  const b = await startNode('node-b', await freePort(), env);
  nodes.push(b);

  const call = await synthesizeCall([
    { role: 'customer', text: 'I would like to check the balance of my account' },
    { role: 'agent', text: 'of course let me look that up for you' },
    { role: 'customer', text: 'please also send me a new debit card' },
  ]);
  const signIn = async (username: string) => {
    const res = await fetch(`${b.httpUrl}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: TEST_USER_PASSWORD, issueToken: true }) });
    return { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
  };
  const headers = await signIn('agent-1');
  // The agent's socket is on node B; the call starts on node A (first in the bridge's list).
  const agent = await AgentSocketProbe.connect(b.wsUrl, 'agent-1', headers);
  cleanups.push(() => agent.close());
  const callId = 'two-node-1';
  const replay = replayCall({ serverUrl: `${a.wsUrl},${b.wsUrl}`, agentId: 'agent-1', callId, stereoWav: call.path, speed: 1 });

  await agent.waitFor((m) => m.type === 'transcript.final' && m.role === 'customer' && /balance/.test(m.text), 30_000);
  const probe = new Redis(redis.url);
  cleanups.push(() => probe.disconnect());
  assert.match((await probe.get(`earpiece:call:${callId}:owner`)) ?? '', /^node-a\|/, 'node A owns the call; node B relayed its events to the agent');
  // A socket opened on node B now gets the call's snapshot from its owner, node A.
  const late = await AgentSocketProbe.connect(b.wsUrl, 'agent-1', headers);
  const snapshot = await late.waitFor((m) => m.type === 'call.snapshot' && m.callId === callId, 10_000);
  late.close();
  const ready = late.messages.find((m) => m.type === 'session.ready');
  assert.ok(ready?.type === 'session.ready' && ready.liveCallIds.includes(callId), 'session.ready names the call on the other node as live');
  assert.ok(snapshot.type === 'call.snapshot' && snapshot.finals.some((f) => /balance/.test(f.text)), 'the snapshot holds the transcript so far');
  // So does a supervisor watching the call from node B.
  const watched = await firstMessage(`${b.wsUrl}/ws/supervisor/call?callId=${callId}`, await signIn('sup-1'), (m) => m.type === 'call.snapshot');
  assert.ok(watched.type === 'call.snapshot' && watched.callId === callId && watched.finals.some((f) => /balance/.test(f.text)), 'the watcher got the snapshot from node A');

  const seenBeforeKill = agent.messages.length;
  const after = (match: (m: (typeof agent.messages)[number]) => boolean) => (m: (typeof agent.messages)[number]) => agent.messages.indexOf(m) >= seenBeforeKill && match(m);
  const killedAt = performance.now();
  await killed(a.child);
  const resumed = agent.waitFor(after((m) => m.type === 'call.started' && m.callId === callId), 30_000).then(() => performance.now() - killedAt);
  const transcript = agent.waitFor(after((m) => (m.type === 'transcript.partial' || m.type === 'transcript.final') && m.callId === callId), 30_000).then(() => performance.now() - killedAt);
  const [resumedMs, transcriptMs] = await Promise.all([resumed, transcript]);
  t.diagnostic(JSON.stringify({ killToResumedMs: Math.round(resumedMs), killToNextTranscriptEventMs: Math.round(transcriptMs) }));
  assert.match((await probe.get(`earpiece:call:${callId}:owner`)) ?? '', /^node-b\|/, 'node B took the call over');

  const result = await replay;
  assert.equal(result.stopReason, 'end-of-media');
  assert.ok(result.stats.reconnects >= 1, 'the bridge reconnected');
  await agent.waitFor((m) => m.type === 'call.ended' && m.callId === callId, 30_000);

  // Node B archives the call; wait for it through its REST API (bounded).
  const deadline = Date.now() + 60_000;
  let body: { call: { status: string }; utterances: Array<{ role: string; text: string }> } | undefined;
  while (Date.now() < deadline) {
    const res = await fetch(`${b.httpUrl}/api/calls/${callId}`, { headers });
    body = res.ok ? ((await res.json()) as typeof body) : undefined;
    if (body?.call.status === 'archived') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(body?.call.status, 'archived');
  const customer = body!.utterances.filter((u) => u.role === 'customer').map((u) => u.text).join(' ');
  assert.match(customer, /balance/, 'words from before the kill kept');
  assert.match(customer, /card/, 'recognition resumed on node B');

  for (const [ch, role] of [[0, 'agent'], [1, 'customer']] as const) {
    const day = new Date().toISOString().slice(0, 10).split('-');
    const wav = await readWav(join(dataDir, 'calls', ...day, callId, `${role}.wav`));
    const source = call.audio.channels[ch]!;
    assert.equal(wav.channels[0]!.length, source.length, `${role}: recording as long as the call`);
    assert.deepEqual(wav.channels[0], source, `${role}: recording identical to what was spoken: no gap, no repeat`);
  }
});
