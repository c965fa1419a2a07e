import assert from 'node:assert/strict';
import { test } from 'node:test';
import alawmulaw from 'alawmulaw';
import { MediaStreamError, type MediaEvent } from './media-events.ts';
import { TwilioDecoder } from './twilio.ts';

const { mulaw } = alawmulaw;

function start(extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    event: 'start',
    sequenceNumber: '1',
    streamSid: 'MZ0001',
    start: {
      accountSid: 'AC1',
      streamSid: 'MZ0001',
      callSid: 'CA0123456789abcdef',
      tracks: ['inbound', 'outbound'],
      customParameters: { agentId: 'agent-4', callerNumber: '+14155550142' },
      mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
      ...extra,
    },
  });
}

function media(seq: number, track: string, chunk: number, timestampMs: number, pcm: Int16Array): string {
  const payload = Buffer.from(mulaw.encode(pcm)).toString('base64');
  return JSON.stringify({ event: 'media', sequenceNumber: String(seq), streamSid: 'MZ0001', media: { track, chunk: String(chunk), timestamp: String(timestampMs), payload } });
}

const tone = (n: number, k: number) => Int16Array.from({ length: n }, (_, i) => Math.round(6000 * Math.sin((i * (k + 1)) / 5)));
const audio = (events: MediaEvent[]) => events.filter((e): e is Extract<MediaEvent, { type: 'audio' }> => e.type === 'audio');

function rejects(decoder: TwilioDecoder, message: string | Buffer, code: string, closeCode: number): void {
  assert.throws(
    () => (typeof message === 'string' ? decoder.text(message) : decoder.binary()),
    (err: unknown) => err instanceof MediaStreamError && err.code === code && err.closeCode === closeCode,
    `${code} / ${closeCode}`,
  );
}

test('connected, start, media on both tracks, mark, dtmf, stop: legs, identity, µ-law decoded, clocks from timestamps', () => {
  const d = new TwilioDecoder();
  assert.deepEqual(d.text(JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' })), []);
  assert.deepEqual(d.text(start()), [
    { type: 'start', callId: 'CA0123456789abcdef', agentId: 'agent-4', callerNumber: '+14155550142', token: undefined, legs: [{ role: 'customer', sampleRateHz: 8000 }, { role: 'agent', sampleRateHz: 8000 }] },
  ]);
  const events: MediaEvent[] = [];
  let seq = 2;
  for (let k = 0; k < 5; k++) {
    events.push(...d.text(media(seq++, 'inbound', k + 1, k * 20, tone(160, k))));
    events.push(...d.text(media(seq++, 'outbound', k + 1, k * 20, tone(160, k + 9))));
  }
  events.push(...d.text(JSON.stringify({ event: 'mark', sequenceNumber: String(seq++), streamSid: 'MZ0001', mark: { name: 'greeting' } })));
  events.push(...d.text(JSON.stringify({ event: 'dtmf', sequenceNumber: String(seq++), streamSid: 'MZ0001', dtmf: { track: 'inbound_track', digit: '9' } })));
  events.push(...d.text(JSON.stringify({ event: 'stop', sequenceNumber: String(seq++), streamSid: 'MZ0001', stop: { accountSid: 'AC1', callSid: 'CA0123456789abcdef' } })));
  const customer = audio(events).filter((e) => e.role === 'customer');
  assert.deepEqual(customer.map((e) => e.offsetSamples), [0, 160, 320, 480, 640]);
  assert.deepEqual(customer[2]!.pcm, mulaw.decode(mulaw.encode(tone(160, 2))), 'µ-law decoded to 16-bit PCM');
  assert.equal(audio(events).filter((e) => e.role === 'agent').length, 5);
  assert.deepEqual(events.slice(-2), [{ type: 'dtmf', role: 'customer', digit: '9', offsetMs: 100 }, { type: 'stop' }]);
  assert.deepEqual(d.stats, { media: 10, gaps: 0, sequenceGaps: 0, chunkGaps: 0, marks: 1 });
  assert.deepEqual(d.text(media(seq, 'inbound', 6, 100, tone(160, 1))), [], 'media after stop is ignored');
});

test('timestamps keep gaps true: a jump becomes an offset, jitter within 10 ms does not', () => {
  const d = new TwilioDecoder();
  d.text(start({ tracks: ['inbound'] }));
  const at = (seq: number, chunk: number, ts: number) => audio(d.text(media(seq, 'inbound', chunk, ts, tone(160, 0))))[0]!.offsetSamples;
  assert.equal(at(2, 1, 0), 0);
  assert.equal(at(3, 2, 21), 160, '1 ms late: jitter, contiguous');
  assert.equal(at(4, 5, 100), 800, 'chunks 3 and 4 lost: 40 ms gap kept');
  assert.equal(at(5, 6, 119), 960, 'early timestamp: still contiguous, never overlapping');
  assert.equal(at(7, 7, 140), 1120);
  assert.deepEqual([d.stats.gaps, d.stats.chunkGaps, d.stats.sequenceGaps], [1, 1, 1]);
});

test('trackRoles flips the legs for an outbound dialer; the customParameters token is passed on', () => {
  const d = new TwilioDecoder({ trackRoles: { inbound: 'agent', outbound: 'customer' } });
  const [ev] = d.text(start({ customParameters: { agentId: 'a', token: 's3cret' } }));
  assert.ok(ev?.type === 'start');
  assert.deepEqual(ev.legs.map((l) => l.role), ['agent', 'customer']);
  assert.equal(ev.token, 's3cret');
  assert.equal(audio(d.text(media(2, 'outbound', 1, 0, tone(160, 0))))[0]!.role, 'customer');
});

test('junk is rejected with a code and a close code', () => {
  rejects(new TwilioDecoder(), '{"event": "media", ', 'EARPIECE_BRIDGE_WS_BAD_JSON', 1007);
  rejects(new TwilioDecoder(), '[1,2]', 'EARPIECE_BRIDGE_WS_BAD_MESSAGE', 1007);
  rejects(new TwilioDecoder(), JSON.stringify({ event: 'transcription' }), 'EARPIECE_BRIDGE_WS_UNKNOWN_EVENT', 1008);
  rejects(new TwilioDecoder(), media(1, 'inbound', 1, 0, tone(160, 0)), 'EARPIECE_BRIDGE_WS_OUT_OF_ORDER', 1008);
  rejects(new TwilioDecoder(), Buffer.from([1, 2, 3]), 'EARPIECE_BRIDGE_WS_UNEXPECTED_BINARY', 1003);
  rejects(new TwilioDecoder(), start({ mediaFormat: { encoding: 'audio/l16', sampleRate: 16000, channels: 1 } }), 'EARPIECE_BRIDGE_WS_UNSUPPORTED_FORMAT', 1007);
  rejects(new TwilioDecoder(), start({ tracks: ['sideways'] }), 'EARPIECE_BRIDGE_WS_BAD_MESSAGE', 1007);
  rejects(new TwilioDecoder(), start({ callSid: 'bad id with spaces', streamSid: undefined }), 'EARPIECE_BRIDGE_WS_BAD_MESSAGE', 1007);
  const d = new TwilioDecoder();
  d.text(start({ tracks: ['inbound'] }));
  rejects(d, start(), 'EARPIECE_BRIDGE_WS_OUT_OF_ORDER', 1008);
  rejects(d, JSON.stringify({ event: 'media', media: { track: 'inbound', payload: 'not base64!' } }), 'EARPIECE_BRIDGE_WS_BAD_MESSAGE', 1007);
  rejects(d, media(2, 'outbound', 1, 0, tone(160, 0)), 'EARPIECE_BRIDGE_WS_BAD_MESSAGE', 1007);
  rejects(d, JSON.stringify({ event: 'dtmf', dtmf: { track: 'inbound_track', digit: 'x' } }), 'EARPIECE_BRIDGE_WS_BAD_MESSAGE', 1007);
});
