import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BridgeError } from '../../core/errors.ts';
import { DtmfTracker, dtmfDigit, encodeTelephoneEvent, parseTelephoneEvent } from './dtmf.ts';

const ev = (event: number, duration: number, end = false): Uint8Array => encodeTelephoneEvent({ event, end, volume: 10, duration });

test('parses the RFC 4733 event block', () => {
  // event 5, E=1 R=0 volume 10, duration 0x0320 (800)
  assert.deepEqual(parseTelephoneEvent(Uint8Array.of(5, 0x8a, 0x03, 0x20)), { event: 5, end: true, volume: 10, duration: 800 });
  assert.deepEqual(parseTelephoneEvent(Uint8Array.of(11, 0x0a, 0x00, 0xa0, 0xff)), { event: 11, end: false, volume: 10, duration: 160 });
  assert.throws(() => parseTelephoneEvent(Uint8Array.of(1, 2, 3)), (e: unknown) => e instanceof BridgeError && e.code === 'EARPIECE_BRIDGE_RTP_BAD_DTMF');
});

test('events 0-15 map to 0-9 * # A-D, others are not digits', () => {
  assert.equal(Array.from({ length: 16 }, (_, i) => dtmfDigit(i)).join(''), '0123456789*#ABCD');
  assert.equal(dtmfDigit(16), null);
  assert.equal(dtmfDigit(255), null);
});

test('one event, with its three end packets, is reported once with its duration', () => {
  const t = new DtmfTracker(8000);
  const ts = 123456;
  assert.deepEqual(t.push(7, ts, ev(1, 160)), []);
  assert.deepEqual(t.push(7, ts, ev(1, 320)), []);
  assert.deepEqual(t.push(7, ts, ev(1, 480)), []);
  assert.deepEqual(t.push(7, ts, ev(1, 800, true)), [{ digit: '1', ssrc: 7, timestamp: ts, durationMs: 100 }]);
  assert.deepEqual(t.push(7, ts, ev(1, 800, true)), []);
  assert.deepEqual(t.push(7, ts, ev(1, 800, true)), []);
  assert.deepEqual(t.flush(), []);
});

test('the same digit pressed twice is two events (different timestamps)', () => {
  const t = new DtmfTracker();
  const got = [...t.push(1, 1000, ev(9, 400, true)), ...t.push(1, 1000, ev(9, 400, true)), ...t.push(1, 5000, ev(9, 640, true))];
  assert.deepEqual(got.map((d) => [d.digit, d.timestamp, d.durationMs]), [['9', 1000, 50], ['9', 5000, 80]]);
});

test('an event whose end packets were all lost ends when the next one starts, or on flush', () => {
  const t = new DtmfTracker();
  assert.deepEqual(t.push(1, 1000, ev(10, 480)), []);
  const next = t.push(1, 3000, ev(11, 160));
  assert.deepEqual(next.map((d) => [d.digit, d.durationMs]), [['*', 60]]);
  assert.deepEqual(t.flush().map((d) => [d.digit, d.timestamp, d.durationMs]), [['#', 3000, 20]]);
  // A late packet of the event ended by the next one does not bring it back.
  assert.deepEqual(t.push(1, 1000, ev(10, 800, true)), []);
});

test('an end packet seen first (start lost) still reports the digit; non-digit events are ignored', () => {
  const t = new DtmfTracker();
  assert.deepEqual(t.push(3, 50, ev(14, 1600, true)).map((d) => [d.digit, d.durationMs]), [['C', 200]]);
  assert.deepEqual(t.push(3, 9000, ev(16, 800, true)), []); // flash
});
