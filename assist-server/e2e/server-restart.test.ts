/**
 * assist-server is killed (SIGKILL) in the middle of a call and started again on the same data
 * directory. The bridge reconnects and resends what the server had not acknowledged (acks mean
 * "settled in the spool"), the restarted server resumes the call from its spool, and the call
 * ends with a recording that has no gap and a transcript that carries on after the restart.
 * The server runs as a real `earpiece serve` child process; Redis is this test's own.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { replayCall } from '@earpiece/telephony-bridge';
import { readWav } from '../src/audio/wav-file.ts';
import { freePort } from '../src/net/free-port.ts';
import { REPO_ROOT } from '../src/config.ts';
import { startPrivateRedis, type PrivateRedis } from '../src/redis/private-redis.ts';
import { synthesizeCall } from '../src/testing/speech-audio.ts';
import { AgentSocketProbe, TEST_USER_PASSWORD } from '../src/testing/test-stack.ts';
import { AuthService } from '../src/auth/auth-service.ts';
import { openDatabase } from '../src/db/open-database.ts';

let redis: PrivateRedis;
let server: ChildProcess | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'ep-restart-'));
let port = 0;

before(async () => {
  redis = await startPrivateRedis({ bin: 'redis-server', dataDir: join(dataDir, 'redis') });
  port = await freePort();
  // The agent's account, made in the node's database before the first start.
  const db = await openDatabase({ sqlitePath: join(dataDir, 'earpiece.db') });
  await new AuthService(db, { sessionTtlMs: 3_600_000 }).createUser({ username: 'agent-1', password: TEST_USER_PASSWORD, role: 'agent' });
  await db.close();
});

/** `Authorization` headers of a fresh agent-1 session on the running server. */
async function signIn(): Promise<{ authorization: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'agent-1', password: TEST_USER_PASSWORD, issueToken: true }) });
  return { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
}
after(async () => {
  server?.kill('SIGKILL');
  await redis.close();
});

function startServer(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'assist-server/bin/earpiece.js'), 'serve'], {
    env: { ...process.env, EARPIECE_PORT: String(port), EARPIECE_DATA_DIR: dataDir, REDIS_URL: redis.url, EARPIECE_ASR_ENGINE: 'pocketsphinx', EARPIECE_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Earpiece is running')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`earpiece serve exited early with ${code}: ${out}`)));
  });
}

test('a server killed mid-call is restarted; the call finishes with a gap-free recording and a resumed transcript', async () => {
  const call = await synthesizeCall([
    { role: 'customer', text: 'I would like to check the balance of my account' },
    { role: 'agent', text: 'of course let me look that up for you' },
    { role: 'customer', text: 'please also send me a new debit card' },
  ]);
  server = await startServer();
  const wsUrl = `ws://127.0.0.1:${port}`;
  const headers = await signIn();
  const agent = await AgentSocketProbe.connect(wsUrl, 'agent-1', headers);
  const replay = replayCall({ serverUrl: wsUrl, agentId: 'agent-1', callId: 'restart-1', stereoWav: call.path, speed: 1 });

  // Kill the server once the first customer sentence is final (well inside the call).
  await agent.waitFor((m) => m.type === 'transcript.final' && m.role === 'customer' && /balance/.test(m.text), 20_000);
  const killed = server;
  killed.kill('SIGKILL');
  await new Promise((r) => killed.once('exit', r));
  agent.close();
  server = await startServer();

  const result = await replay;
  assert.equal(result.stopReason, 'end-of-media');
  assert.ok(result.stats.reconnects >= 1, 'the bridge reconnected');

  // The restarted server archives the call; wait for it through the REST API (bounded).
  const deadline = Date.now() + 30_000;
  let body: { call: { status: string }; utterances: Array<{ role: string; text: string }> } | undefined;
  while (Date.now() < deadline) {
    const res = await fetch(`http://127.0.0.1:${port}/api/calls/restart-1`, { headers }); // sessions outlive a restart (they are in the database)
    body = res.ok ? ((await res.json()) as typeof body) : undefined;
    if (body?.call.status === 'archived') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(body?.call.status, 'archived');
  const customer = body!.utterances.filter((u) => u.role === 'customer').map((u) => u.text).join(' ');
  assert.match(customer, /balance/, 'words from before the crash kept');
  assert.match(customer, /card/, 'recognition resumed after the restart');

  for (const [ch, role] of [[0, 'agent'], [1, 'customer']] as const) {
    const day = new Date().toISOString().slice(0, 10).split('-');
    const wav = await readWav(join(dataDir, 'calls', ...day, 'restart-1', `${role}.wav`));
    const source = call.audio.channels[ch]!;
    assert.equal(wav.channels[0]!.length, source.length, `${role}: recording as long as the call`);
    assert.deepEqual(wav.channels[0], source, `${role}: recording identical to what was spoken: no gap, no repeat`);
  }
});
