import assert from 'node:assert/strict';
import { test } from 'node:test';
import websocket from '@fastify/websocket';
import Fastify from 'fastify';
import WebSocket from 'ws';
import { installAccessControl } from './access-control.ts';
import type { AuthService } from './auth-service.ts';

/** Access control with no users: the startup check needs none. */
async function appWithAccessControl() {
  const app = Fastify();
  await app.register(websocket);
  installAccessControl(app, { auth: { authenticate: async () => undefined } as unknown as AuthService, findCall: async () => undefined });
  return app;
}

test('startup check: a node with an /api or /ws route that declares no access refuses to start, naming the route', async () => {
  const app = await appWithAccessControl();
  app.get('/api/declared', { config: { access: 'admin' } }, async () => ({}));
  app.get('/api/forgotten', async () => ({}));
  app.get('/ws/forgotten', { websocket: true }, () => undefined);
  app.get('/', async () => 'the UI: no policy needed');
  await assert.rejects(async () => app.ready(), (err: Error) => {
    assert.match(err.message, /refusing to start/);
    assert.match(err.message, /GET \/api\/forgotten/);
    assert.match(err.message, /GET \/ws\/forgotten/);
    assert.doesNotMatch(err.message, /\/api\/declared|GET \/(;|$)/);
    return true;
  });
});

test('startup check: an unknown access value is refused too; declared routes start and answer 401 without a session', async () => {
  const bad = await appWithAccessControl();
  bad.get('/api/typo', { config: { access: 'superuser' as never } }, async () => ({}));
  await assert.rejects(async () => bad.ready(), /invalid access "superuser"/);

  const good = await appWithAccessControl();
  good.get('/api/private', { config: { access: ['supervisor', 'reviewer'] } }, async () => ({ ok: true }));
  good.get('/api/open', { config: { access: 'public' } }, async () => ({ ok: true }));
  await good.ready();
  assert.equal((await good.inject({ method: 'GET', url: '/api/private' })).statusCode, 401);
  assert.equal((await good.inject({ method: 'GET', url: '/api/private', headers: { authorization: 'Bearer forged' } })).statusCode, 401);
  assert.equal((await good.inject({ method: 'GET', url: '/api/open' })).statusCode, 200);
  await good.close();
});

test('ingest is outside user sign-in; with EARPIECE_INGEST_TOKEN set a bridge must present it (Bearer, or the password of ws://ingest:<token>@host)', async () => {
  const app = Fastify();
  await app.register(websocket);
  const token = 'a-shared-ingest-secret';
  installAccessControl(app, { auth: { authenticate: async () => undefined } as unknown as AuthService, findCall: async () => undefined, ingestToken: token });
  app.get('/ingest', { websocket: true, config: { access: 'ingest' } }, (socket) => socket.close(1000));
  const url = (await app.listen({ host: '127.0.0.1', port: 0 })).replace(/^http/, 'ws');
  const status = (target: string, headers: Record<string, string> = {}) =>
    new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(target, { headers });
      ws.once('upgrade', () => (ws.close(), resolve(101)));
      ws.once('unexpected-response', (req, res) => (req.destroy(), resolve(res.statusCode ?? 0)));
      ws.once('error', reject);
    });
  try {
    assert.equal(await status(`${url}/ingest`), 401);
    assert.equal(await status(`${url}/ingest`, { authorization: 'Bearer wrong-secret' }), 401);
    assert.equal(await status(`${url}/ingest`, { authorization: `Bearer ${token}` }), 101);
    assert.equal(await status(url.replace('ws://', `ws://ingest:${token}@`) + '/ingest'), 101);
  } finally {
    await app.close();
  }
});
