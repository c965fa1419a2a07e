import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CallEvent } from '../protocol/index.ts';
import { CallStore } from './call-store.ts';

const call = { callId: 'c1', agentId: 'agent-1', callerNumber: '•••• 4567', startedAtMs: 1000, legs: ['agent', 'customer'] as const, source: 'test' };
const base = { v: 1 as const, callId: 'c1', atMs: 2000 };
const ENTITY = { type: 'CREDIT_CARD', wordIndex: 2, start: 2, end: 18, startMs: 1500, endMs: 3900, confidence: 0.99 };

test('a call, its finals and events persist across reopening; partials are not stored', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'ep-db-')), 'earpiece.db');
  const store = new CallStore(path);
  store.callStarted({ ...call, legs: [...call.legs] });
  const events: CallEvent[] = [
    { ...base, seq: 1, type: 'call.started', call: { ...call, legs: [...call.legs] } },
    { ...base, seq: 2, type: 'transcript.partial', utteranceId: 'u0', role: 'customer', text: 'i lost', startMs: 0 },
    { ...base, seq: 3, type: 'transcript.final', utteranceId: 'u0', role: 'customer', text: 'i lost my card', startMs: 100, endMs: 900, words: [{ word: 'i', startMs: 100, endMs: 200, confidence: 0.9 }] },
    { ...base, seq: 5, type: 'transcript.final', utteranceId: 'u1', role: 'customer', text: 'it is [CREDIT_CARD]', startMs: 1000, endMs: 4000, words: [], entities: [ENTITY] },
    { ...base, seq: 4, type: 'call.ended', reason: 'hangup', durationMs: 5000 },
  ];
  for (const e of events) store.recordEvent(e);
  store.recordEvent(events[2]!); // a repeat is harmless
  store.close();

  const again = new CallStore(path); // migrations run once; reopening is fine
  assert.deepEqual(again.events('c1').map((e) => e.seq), [1, 3, 4, 5]);
  assert.deepEqual(again.finals('c1').map((u) => u.text), ['i lost my card', 'it is [CREDIT_CARD]']);
  assert.deepEqual(again.finals('c1').map((u) => u.entities), [[], [ENTITY]], 'entity records (no values) are kept for reviewers');
  const rec = again.getCall('c1')!;
  assert.equal(rec.status, 'ended');
  assert.equal(rec.durationMs, 5000);
  assert.deepEqual(rec.legs, ['agent', 'customer']);
  again.markArchived('c1', '/archive/c1', [{ callId: 'c1', role: 'customer', path: '/archive/c1/customer.wav', sampleRateHz: 8000, durationMs: 5000, bytes: 80044, sha256: 'ab' }]);
  assert.equal(again.getCall('c1')!.status, 'archived');
  assert.equal(again.recordings('c1')[0]!.bytes, 80044);
  assert.deepEqual(again.listCalls({ agentId: 'agent-1' }).map((c) => c.callId), ['c1']);
  assert.deepEqual(again.listCalls({ agentId: 'agent-2' }), []);
  again.close();
});
