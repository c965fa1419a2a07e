/**
 * IngestClient with several assist-server nodes (serverUrl a comma-separated list), against two
 * IngestStandIn servers: a call goes to the first node that accepts it, a retryable refusal (a node
 * at capacity) passes it to the next, and a call whose node drops reconnects to the next node and
 * resends what was not acknowledged. The real two-node failover (kill -9 of the owning node) is
 * assist-server/e2e/two-node-failover.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IngestErrorCode } from '@earpiece/assist-server/protocol';
import { synthesizeSpeech } from '../../../assist-server/src/testing/speech-audio.ts';
import { IngestStandIn } from '../testing/ingest-stand-in.ts';
import { IngestClient } from './ingest-client.ts';
import { ingestUrls } from './ingest-url.ts';

const call = (callId: string) => ({ callId, agentId: 'agent-7', legs: [{ role: 'customer' as const, sampleRateHz: 16000 }] });

test('ingestUrls splits a comma-separated node list, keeping its order', () => {
  assert.deepEqual(ingestUrls(' ws://a:8080 , ws://b:8080/,'), ['ws://a:8080/ingest', 'ws://b:8080/ingest']);
  assert.throws(() => ingestUrls(' , '), { code: 'EARPIECE_BRIDGE_BAD_SERVER_URL' });
});

test('a node at capacity passes the call to the next node in the list', async () => {
  const full = await IngestStandIn.start({ refuseWith: { code: IngestErrorCode.Capacity, message: 'at capacity', retryable: true } });
  const free = await IngestStandIn.start();
  const c = new IngestClient({ serverUrl: `${full.url},${free.url}`, call: call('cap-1') });
  try {
    await c.connect();
    assert.equal(full.connections.length, 1, 'the first node was asked');
    assert.equal(free.connections[0]?.start?.callId, 'cap-1', 'the second node took the call');
    assert.equal(c.url, `${free.url}/ingest`);
    await c.stop('hangup');
  } finally {
    await c.close();
    await Promise.all([full.close(), free.close()]);
  }
});

test('a refusal that is not retryable fails the call without trying other nodes', async () => {
  const refusing = await IngestStandIn.start({ refuseWith: { code: IngestErrorCode.BadMessage, message: 'no', retryable: false } });
  const other = await IngestStandIn.start();
  const c = new IngestClient({ serverUrl: `${refusing.url},${other.url}`, call: call('bad-1') });
  try {
    await assert.rejects(c.connect(), { code: IngestErrorCode.BadMessage });
    assert.equal(other.connections.length, 0);
  } finally {
    await c.close();
    await Promise.all([refusing.close(), other.close()]);
  }
});

test('when its node drops, the call moves to the next node and resends every unacknowledged frame in order', async () => {
  const speech = await synthesizeSpeech('please send me a new card for my account', { sampleRateHz: 16000 });
  const frames: Int16Array[] = [];
  for (let i = 0; i + 320 <= speech.pcm.length; i += 320) frames.push(speech.pcm.subarray(i, i + 320));
  const a = await IngestStandIn.start({ ackEvery: 10 });
  const b = await IngestStandIn.start({ ackEvery: 10 });
  // Long backoff: a reconnect that waited for it would time the test out; failover goes at once.
  const c = new IngestClient({ serverUrl: `${a.url},${b.url}`, call: call('move-1'), reconnect: { initialDelayMs: 60_000, maxDelayMs: 60_000 } });
  const reconnecting: number[] = [];
  c.on('reconnecting', (e) => reconnecting.push(e.delayMs));
  try {
    await c.connect();
    for (let i = 0; i < 25; i++) c.sendAudio('customer', frames[i]!);
    await a.waitFor(() => a.connections[0]!.frames.length === 25, '25 frames on node A');
    a.dropConnection(); // A acknowledged through seq 19
    await b.waitFor(() => b.connections[0]?.frames.length === 5, 'the resend on node B');
    for (let i = 25; i < frames.length; i++) c.sendAudio('customer', frames[i]!);
    await c.stop('end-of-media');
    assert.deepEqual(reconnecting, [0], 'the first reconnect goes to the other node without waiting');
    const onB = b.connections[0]!.frames.map((f) => f.seq);
    assert.deepEqual(onB, Array.from({ length: frames.length - 20 }, (_, i) => 20 + i), 'node B got seq 20 onward, each once, in order');
    assert.equal(b.connections[0]!.stop?.reason, 'end-of-media');
    assert.equal(a.connections.length, 1, 'node A was not tried again');
  } finally {
    await c.close();
    await Promise.all([a.close(), b.close()]);
  }
});
