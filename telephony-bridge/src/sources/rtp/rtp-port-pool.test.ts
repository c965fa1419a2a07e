import { after, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { BridgeError } from '../../core/errors.ts';
import { closeQuietly, RtpPortPool, type RtpPortPair } from './rtp-port-pool.ts';
import { findFreePortRange } from './test-ports.ts';

const closePair = (p: RtpPortPair): Promise<unknown> => Promise.all([closeQuietly(p.rtp), closeQuietly(p.rtcp)]);

/** acquire() whose sockets are closed after the test even when it fails (an open socket keeps the runner alive). */
function tracked(t: TestContext, pool: RtpPortPool): () => Promise<RtpPortPair> {
  const pairs: RtpPortPair[] = [];
  t.after(() => Promise.all(pairs.map(closePair)));
  return async () => {
    const p = await pool.acquire();
    pairs.push(p);
    return p;
  };
}

const foreign: Socket[] = [];
after(() => Promise.all(foreign.map(closeQuietly)));
/** A socket bound by "someone else". */
function occupy(port: number): Promise<Socket> {
  const s = createSocket('udp4');
  foreign.push(s);
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.bind({ port, address: '127.0.0.1', exclusive: true }, () => resolve(s));
  });
}

test('a range without an even/odd pair is refused with a coded error', () => {
  for (const [minPort, maxPort] of [[10001, 10001], [10001, 10002], [5000, 4000], [80, 90], [65534, 65536], [1.5, 2000]] as const) {
    assert.throws(() => new RtpPortPool({ host: '127.0.0.1', minPort, maxPort }), (e: unknown) => e instanceof BridgeError && e.code === 'EARPIECE_BRIDGE_RTP_BAD_PORT_RANGE');
  }
  const odd = new RtpPortPool({ host: '127.0.0.1', minPort: 10001, maxPort: 10004 });
  assert.equal(odd.firstPort, 10002);
  assert.equal(odd.pairCount, 1);
});

test('pairs are bound RTP on even p and RTCP on p+1; exhaustion rejects; a released pair is reused', async (t) => {
  const base = await findFreePortRange(2);
  const pool = new RtpPortPool({ host: '127.0.0.1', minPort: base, maxPort: base + 3 });
  const acquire = tracked(t, pool);
  const a = await acquire();
  const b = await acquire();
  assert.deepEqual([a.port, b.port].sort(), [base, base + 2]);
  for (const p of [a, b]) {
    assert.equal(p.port % 2, 0);
    assert.equal(p.rtp.address().port, p.port);
    assert.equal(p.rtcp.address().port, p.port + 1);
  }
  assert.equal(pool.inUse, 2);
  await assert.rejects(pool.acquire(), (e: unknown) => e instanceof BridgeError && e.code === 'EARPIECE_BRIDGE_RTP_PORTS_EXHAUSTED' && e.retryable);
  await closePair(a);
  pool.release(a.port);
  assert.equal(pool.inUse, 1);
  const c = await acquire();
  assert.equal(c.port, a.port);
  assert.equal(pool.inUse, 2);
});

test('pairs busy elsewhere (RTP or RTCP port) are skipped', async (t) => {
  const base = await findFreePortRange(3);
  await occupy(base);
  await occupy(base + 3);
  const pool = new RtpPortPool({ host: '127.0.0.1', minPort: base, maxPort: base + 5 });
  const acquire = tracked(t, pool);
  const got = await acquire();
  assert.equal(got.port, base + 4);
  assert.equal(pool.inUse, 1);
  await assert.rejects(pool.acquire(), /2 busy elsewhere/);
  assert.equal(pool.inUse, 1);
  // The half-bound pair (RTP free, RTCP busy) did not leak its RTP socket: that port can be bound again.
  await occupy(base + 2);
});

test('concurrent acquires get different pairs; allocation goes round the range', async (t) => {
  const base = await findFreePortRange(3);
  const pool = new RtpPortPool({ host: '127.0.0.1', minPort: base, maxPort: base + 5 });
  const acquire = tracked(t, pool);
  const [x, y] = await Promise.all([acquire(), acquire()]);
  assert.notEqual(x.port, y.port);
  await closePair(x);
  pool.release(x.port);
  const z = await acquire(); // the third pair, not the one just released
  assert.equal(z.port, base + 4);
});
