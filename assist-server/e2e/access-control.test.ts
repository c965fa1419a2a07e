/**
 * Access control on a whole node (auth/): sign-in with the first-run admin, cookie and bearer
 * sessions, roles on REST and WebSocket routes, the call scoping of agents, supervisors and reviewers,
 * and the audit of a replay under the signed-in reviewer's name.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { storeFinishedCall } from '../src/analyzers/summary/stored-call-fixture.ts';
import { writeWav } from '../src/audio/wav-file.ts';
import type { AuditEntry } from '../src/protocol/index.ts';
import { CustomerHistoryStore } from '../src/store/customer-history-store.ts';
import { AgentSocketProbe, startTestStack, type TestStack } from '../src/testing/test-stack.ts';

let stack: TestStack;

before(async () => {
  stack = await startTestStack({ EARPIECE_NLU: 'off' });
  // agent-1's ended, archived call (one mono WAV per leg).
  await storeFinishedCall(stack.node.store, new CustomerHistoryStore(stack.node.db), 'card-call');
  const archiveDir = join(stack.dataDir, 'calls', 'card-call');
  mkdirSync(archiveDir, { recursive: true });
  for (const role of ['agent', 'customer'] as const) await writeWav(join(archiveDir, `${role}.wav`), { sampleRateHz: 8000, channels: [new Int16Array(8000)] });
  await stack.node.store.markArchived(
    'card-call',
    archiveDir,
    (['agent', 'customer'] as const).map((role) => ({ callId: 'card-call', role, path: join(archiveDir, `${role}.wav`), sampleRateHz: 8000, durationMs: 1000, bytes: 16044, sha256: 'x' })),
  );
  await stack.signIn('agent-1', 'agent', { teamId: 'team-a' });
  await stack.signIn('agent-2', 'agent', { teamId: 'team-b' });
  await stack.signIn('sup-a', 'supervisor', { teamId: 'team-a' });
  await stack.signIn('sup-b', 'supervisor', { teamId: 'team-b' });
  await stack.signIn('rita', 'reviewer');
});
after(() => stack?.close());

const get = async (path: string, as?: string, init: RequestInit = {}) =>
  fetch(`${stack.httpUrl}${path}`, { ...init, headers: { ...(as ? (await stack.signIn(as)).headers : {}), ...(init.headers as Record<string, string> | undefined) } });

/** The HTTP status a WebSocket upgrade is answered with (101 when it opens). */
async function upgradeStatus(path: string, as?: string): Promise<number> {
  const socket = new WebSocket(`${stack.wsUrl}${path}`, { headers: as ? (await stack.signIn(as)).headers : {} });
  return new Promise((resolve, reject) => {
    socket.once('upgrade', () => (socket.close(), resolve(101)));
    socket.once('unexpected-response', (req, res) => (req.destroy(), resolve(res.statusCode ?? 0)));
    socket.once('error', reject);
  });
}

test('sign-in: the first-run admin signs in with the printed password; cookie HttpOnly and SameSite=Strict; sign-out ends the session', async () => {
  assert.equal(stack.admin.username, 'admin');
  assert.ok(stack.admin.password.length >= 20, 'a generated password was printed');
  const wrong = await fetch(`${stack.httpUrl}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'nope nope nope' }) });
  assert.equal(wrong.status, 401);
  const res = await fetch(`${stack.httpUrl}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(stack.admin) });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { user: { role: string }; token?: string };
  assert.equal(body.user.role, 'admin');
  assert.equal(body.token, undefined, 'the UI gets the cookie only');
  const setCookie = res.headers.get('set-cookie') ?? '';
  assert.match(setCookie, /^earpiece_session=[\w-]{40,}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+/);
  const cookie = setCookie.split(';')[0]!;
  const me = await fetch(`${stack.httpUrl}/api/auth/me`, { headers: { cookie } });
  assert.equal(((await me.json()) as { user: { username: string } }).user.username, 'admin');
  assert.equal((await fetch(`${stack.httpUrl}/api/auth/sign-out`, { method: 'POST', headers: { cookie } })).status, 204);
  assert.equal((await fetch(`${stack.httpUrl}/api/auth/me`, { headers: { cookie } })).status, 401);
  const scripted = (await (await fetch(`${stack.httpUrl}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...stack.admin, issueToken: true }) })).json()) as { token: string };
  assert.equal((await fetch(`${stack.httpUrl}/api/auth/me`, { headers: { authorization: `Bearer ${scripted.token}` } })).status, 200);
});

test('REST: unauthenticated 401; an agent reads only their own calls (403 for another agent); supervisors only their team', async () => {
  assert.equal((await get('/api/calls/card-call')).status, 401);
  assert.equal((await get('/api/health')).status, 200, 'health stays public');
  assert.equal((await get('/api/calls/card-call', 'agent-1')).status, 200);
  const other = await get('/api/calls/card-call', 'agent-2');
  assert.equal(other.status, 403);
  assert.equal(((await other.json()) as { code: string }).code, 'EARPIECE_FORBIDDEN');
  assert.equal((await get('/api/calls/card-call/summary', 'agent-2')).status, 403);
  assert.equal((await get('/api/calls?agentId=agent-1', 'agent-2')).status, 403);
  const own = (await (await get('/api/calls', 'agent-2')).json()) as { calls: unknown[] };
  assert.deepEqual(own.calls, [], "agent-2's list holds none of agent-1's calls");
  assert.equal((await get('/api/calls/card-call', 'sup-a')).status, 200);
  assert.equal((await get('/api/calls/card-call', 'sup-b')).status, 403);
  assert.equal((await get('/api/calls/card-call', 'admin', { headers: await stack.authHeaders() })).status, 200);
  assert.equal((await get('/api/admin/users', 'agent-1')).status, 403);
  assert.equal((await get('/api/review/calls', 'agent-1')).status, 403);
});

test('WebSocket: unauthenticated sockets get 401 before the upgrade; an agent cannot watch another call (403); reviewers open no live socket', async () => {
  assert.equal(await upgradeStatus('/ws/agent'), 401);
  assert.equal(await upgradeStatus('/ws/supervisor'), 401);
  assert.equal(await upgradeStatus('/ws/agent', 'agent-1'), 101);
  assert.equal(await upgradeStatus('/ws/supervisor/call?callId=card-call', 'agent-2'), 403);
  assert.equal(await upgradeStatus('/ws/supervisor/call?callId=card-call', 'sup-b'), 403);
  assert.equal(await upgradeStatus('/ws/supervisor/call?callId=card-call', 'sup-a'), 101);
  assert.equal(await upgradeStatus('/ws/agent', 'rita'), 403);
  assert.equal(await upgradeStatus('/ws/supervisor', 'rita'), 403);
  assert.equal(await upgradeStatus('/ws/supervisor/call?callId=card-call', 'rita'), 403);
  // The agent socket's agent is the session's user, whatever the query says.
  const probe = await AgentSocketProbe.connect(stack.wsUrl, 'agent-2');
  const ready = await probe.waitFor((m) => m.type === 'session.ready', 5000);
  assert.equal((ready as { agentId: string }).agentId, 'agent-2');
  probe.close();
});

test('audit: a replay is recorded under the signed-in reviewer; only admins read the audit; nothing edits it', async () => {
  const audio = await get('/api/review/calls/card-call/audio/agent?reviewer=someone-else', 'rita');
  assert.equal(audio.status, 200);
  await audio.arrayBuffer();
  assert.equal((await get('/api/admin/audit?callId=card-call', 'rita')).status, 403);
  const { entries } = (await (await fetch(`${stack.httpUrl}/api/admin/audit?callId=card-call`, { headers: await stack.authHeaders() })).json()) as { entries: AuditEntry[] };
  const replay = entries.find((e) => e.action === 'recording.replayed');
  assert.equal(replay?.actor, 'rita');
  for (const method of ['PUT', 'DELETE', 'PATCH', 'POST']) assert.equal((await fetch(`${stack.httpUrl}/api/admin/audit`, { method, headers: await stack.authHeaders() })).status, 404);
});

test('user administration: admins add users (audited), a disabled user is signed out', async () => {
  const admin = await stack.authHeaders();
  const created = await fetch(`${stack.httpUrl}/api/admin/users`, { method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify({ username: 'agent-9', password: 'long enough pass', role: 'agent', teamId: 'team-a' }) });
  assert.equal(created.status, 201);
  const signIn = await fetch(`${stack.httpUrl}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'agent-9', password: 'long enough pass', issueToken: true }) });
  const { token } = (await signIn.json()) as { token: string };
  assert.equal((await fetch(`${stack.httpUrl}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
  const disabled = await fetch(`${stack.httpUrl}/api/admin/users/agent-9`, { method: 'PATCH', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify({ disabled: true }) });
  assert.equal(disabled.status, 200);
  assert.equal((await fetch(`${stack.httpUrl}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status, 401);
  const { entries } = (await (await fetch(`${stack.httpUrl}/api/admin/audit?actor=admin`, { headers: admin })).json()) as { entries: AuditEntry[] };
  assert.deepEqual(
    entries.filter((e) => /^user\.(created|updated)$/.test(e.action)).map((e) => [e.action, e.detail?.userId]),
    [
      ['user.updated', 'agent-9'],
      ['user.created', 'agent-9'],
    ],
  );
  // A kb change through the API is audited with the signed-in admin (generic change audit).
  const del = await fetch(`${stack.httpUrl}/api/kb/articles/no-such-article`, { method: 'DELETE', headers: admin });
  assert.equal(del.status, 404, 'a refused change is not audited');
  const { articles } = (await (await fetch(`${stack.httpUrl}/api/kb/articles`, { headers: admin })).json()) as { articles: Array<{ id: string }> };
  const id = articles[0]!.id;
  assert.equal((await fetch(`${stack.httpUrl}/api/kb/articles/${id}`, { method: 'DELETE', headers: await stack.authHeaders('agent-1') })).status, 403);
  assert.equal((await fetch(`${stack.httpUrl}/api/kb/articles/${id}`, { method: 'DELETE', headers: admin })).status, 204);
  const changes = (await (await fetch(`${stack.httpUrl}/api/admin/audit?action=${encodeURIComponent('DELETE /api/kb/articles/:id')}`, { headers: admin })).json()) as { entries: AuditEntry[] };
  assert.deepEqual(
    changes.entries.map((e) => [e.actor, e.detail?.params]),
    [['admin', { id }]],
  );
});

test('live calls: the supervisor wall shows only the team; the owner agent gets the snapshot; reviewers cannot open a live call', async () => {
  const bridge = new WebSocket(`${stack.wsUrl}/ingest`);
  const accepted = new Promise<void>((resolve) => bridge.on('message', (d) => JSON.parse(d.toString()).type === 'call.accepted' && resolve()));
  await new Promise((resolve, reject) => bridge.once('open', resolve).once('error', reject));
  bridge.send(JSON.stringify({ type: 'call.start', v: 1, callId: 'live-b', agentId: 'agent-2', callerNumber: '+1 415 555 0142', source: 'test', startedAtMs: Date.now(), legs: [{ role: 'customer', sampleRateHz: 16000 }] }));
  await accepted;

  const wallCalls = async (as: string) => {
    const socket = new WebSocket(`${stack.wsUrl}/ws/supervisor`, { headers: (await stack.signIn(as)).headers });
    const ready = await new Promise<{ calls: Array<{ callId: string }> }>((resolve, reject) => socket.once('message', (d) => resolve(JSON.parse(d.toString()))).once('error', reject));
    socket.close();
    return ready.calls.map((c) => c.callId);
  };
  assert.deepEqual(await wallCalls('sup-b'), ['live-b'], "agent-2 is in sup-b's team");
  assert.deepEqual(await wallCalls('sup-a'), [], "nothing of team-b on sup-a's wall");
  assert.deepEqual(await wallCalls('admin'), ['live-b']);

  const owner = await AgentSocketProbe.connect(stack.wsUrl, 'agent-2');
  await owner.waitFor((m) => m.type === 'call.snapshot' && m.callId === 'live-b', 5000);
  owner.close();
  const other = await AgentSocketProbe.connect(stack.wsUrl, 'agent-1');
  assert.deepEqual((other.messages[0] as { liveCallIds: string[] }).liveCallIds, []);
  other.close();
  assert.equal((await get('/api/calls/live-b', 'agent-1')).status, 403);
  assert.equal((await get('/api/review/calls/live-b', 'rita')).status, 403, 'a live call is not for reviewers');
  assert.equal(await upgradeStatus('/ws/supervisor/call?callId=live-b', 'sup-a'), 403);
  assert.equal(await upgradeStatus('/ws/supervisor/call?callId=live-b', 'sup-b'), 101);
  bridge.close();
});

test('sign-in is throttled: after 5 failures the username gets 429 with Retry-After, even with the right password; other users are unaffected', async () => {
  const admin = await stack.authHeaders();
  const created = await fetch(`${stack.httpUrl}/api/admin/users`, { method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify({ username: 'guessed', password: 'the right password', role: 'agent' }) });
  assert.equal(created.status, 201);
  const attempt = (password: string) => fetch(`${stack.httpUrl}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'guessed', password }) });
  for (let i = 0; i < 5; i++) assert.equal((await attempt(`wrong guess ${i}`)).status, 401);
  const locked = await attempt('the right password');
  assert.equal(locked.status, 429);
  assert.ok(Number(locked.headers.get('retry-after')) > 0);
  assert.equal((await get('/api/auth/me', 'rita')).status, 200);
});
