import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AudioForkDecoder } from './audio-fork.ts';
import { MediaStreamError, type MediaEvent } from './media-events.ts';

const tone = (n: number, k: number) => Int16Array.from({ length: n }, (_, i) => Math.round(6000 * Math.sin((i * (k + 1)) / 5)));

function interleave(left: Int16Array, right: Int16Array): Buffer {
  const out = Buffer.alloc(left.length * 4);
  for (let i = 0; i < left.length; i++) {
    out.writeInt16LE(left[i]!, i * 4);
    out.writeInt16LE(right[i]!, i * 4 + 2);
  }
  return out;
}

const le = (pcm: Int16Array) => Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);

function rejects(run: () => unknown, code: string, closeCode: number): void {
  assert.throws(run, (err: unknown) => err instanceof MediaStreamError && err.code === code && err.closeCode === closeCode, `${code} / ${closeCode}`);
}

test('stereo 16 kHz: metadata → two legs (channel 0 customer, 1 agent), interleaved L16 split per channel', () => {
  const d = new AudioForkDecoder();
  const meta = { callId: 'fs-7f3a', agentId: 'agent-2', callerNumber: '+442071234567', mixType: 'stereo', sampleRate: 16000 };
  assert.deepEqual(d.text(JSON.stringify(meta)), [
    { type: 'start', callId: 'fs-7f3a', agentId: 'agent-2', callerNumber: '+442071234567', token: undefined, legs: [{ role: 'customer', sampleRateHz: 16000 }, { role: 'agent', sampleRateHz: 16000 }] },
  ]);
  const caller = tone(320, 1);
  const callee = tone(320, 2);
  const events = d.binary(interleave(caller, callee));
  assert.deepEqual(events, [
    { type: 'audio', role: 'customer', pcm: caller },
    { type: 'audio', role: 'agent', pcm: callee },
  ]);
  assert.deepEqual(d.text(JSON.stringify({ event: 'send_text', note: 'later metadata' })), [], 'later text frames are ignored');
  assert.equal(d.textUpdates, 1);
});

test('mono 8k ("8k" form), mixed, defaults, generated call id, flipped stereo roles', () => {
  const mono = new AudioForkDecoder();
  const [start] = mono.text(JSON.stringify({ agentId: 'a', sampleRate: '8k' })) as [Extract<MediaEvent, { type: 'start' }>];
  assert.match(start.callId, /^af-[0-9a-f-]{36}$/);
  assert.deepEqual(start.legs, [{ role: 'customer', sampleRateHz: 8000 }]);
  const pcm = tone(160, 3);
  assert.deepEqual(mono.binary(le(pcm)), [{ type: 'audio', role: 'customer', pcm }]);
  const mixed = new AudioForkDecoder({ monoRole: 'agent' });
  assert.deepEqual((mixed.text(JSON.stringify({ mixType: 'mixed', sampleRate: 16000, token: 't' }))[0] as Extract<MediaEvent, { type: 'start' }>).legs, [{ role: 'agent', sampleRateHz: 16000 }]);
  const flipped = new AudioForkDecoder({ stereoRoles: ['agent', 'customer'] });
  flipped.text(JSON.stringify({ mixType: 'stereo' }));
  assert.deepEqual(flipped.binary(interleave(tone(2, 1), tone(2, 2))).map((e) => e.type === 'audio' && e.role), ['agent', 'customer']);
});

test('junk: binary before metadata, bad JSON, bad mix type or rate, ragged frames', () => {
  rejects(() => new AudioForkDecoder().binary(Buffer.alloc(320)), 'EARPIECE_BRIDGE_WS_UNEXPECTED_BINARY', 1003);
  rejects(() => new AudioForkDecoder().text('{"mixType":'), 'EARPIECE_BRIDGE_WS_BAD_JSON', 1007);
  rejects(() => new AudioForkDecoder().text('"stereo"'), 'EARPIECE_BRIDGE_WS_BAD_MESSAGE', 1007);
  rejects(() => new AudioForkDecoder().text(JSON.stringify({ mixType: 'quad' })), 'EARPIECE_BRIDGE_WS_BAD_MESSAGE', 1007);
  rejects(() => new AudioForkDecoder().text(JSON.stringify({ sampleRate: 44100 })), 'EARPIECE_BRIDGE_WS_BAD_MESSAGE', 1007);
  rejects(() => new AudioForkDecoder().text(JSON.stringify({ callId: 'x y' })), 'EARPIECE_BRIDGE_WS_BAD_MESSAGE', 1007);
  const stereo = new AudioForkDecoder();
  stereo.text(JSON.stringify({ mixType: 'stereo' }));
  rejects(() => stereo.binary(Buffer.alloc(322)), 'EARPIECE_BRIDGE_WS_BAD_AUDIO', 1007);
  rejects(() => stereo.text('not json after start either'), 'EARPIECE_BRIDGE_WS_BAD_JSON', 1007);
  const mono = new AudioForkDecoder();
  mono.text('{}');
  rejects(() => mono.binary(Buffer.alloc(3)), 'EARPIECE_BRIDGE_WS_BAD_AUDIO', 1007);
  assert.deepEqual(mono.binary(Buffer.alloc(0)), []);
});
