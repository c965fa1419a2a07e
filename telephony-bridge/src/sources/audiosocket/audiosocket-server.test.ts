/**
 * AudioSocket server over real TCP sockets (AudioSocketClient plays Asterisk) into an in-memory
 * RecordingCallSink: pairing, windows, auth, limits, junk, close paths, back-pressure.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AudioSocketClient } from './audiosocket-client.ts';
import { AUDIOSOCKET_REFUSAL } from './audiosocket-leg.ts';
import { startAudioSocketServer, type AudioSocketServerOptions } from './audiosocket-server.ts';
import { encodeAudio, encodeFrame } from './framing.ts';
import { RecordingCallSink } from '../../testing/recording-call-sink.ts';

/** Bytes 0-11 name the call (`call`: 6 hex digits in byte 0-2), byte 15 the leg (2 hex digits). */
const uuid = (call: string, leg: string) => `${call}0b-93c4-4d71-a0f2-5c6d12345f${leg}`;
const callIdOf = (call: string) => `as-${call}0b93c44d71a0f25c6d`;

function tone(n: number, seed: number): Int16Array {
  return Int16Array.from({ length: n }, (_, i) => Math.round(8000 * Math.sin((i * (seed + 1)) / 7)));
}

async function withServer(options: Partial<AudioSocketServerOptions> & { sink: RecordingCallSink }, body: (port: number, server: Awaited<ReturnType<typeof startAudioSocketServer>>) => Promise<void>): Promise<void> {
  const server = await startAudioSocketServer({ host: '127.0.0.1', port: 0, defaultAgentId: 'agent-7', groupingWindowMs: 3000, ...options });
  try {
    await body(server.port, server);
  } finally {
    await server.close();
  }
}

test('two connections sharing a 12-byte prefix become one call: legs labelled, rates kept, audio and digits in order, hangup after the last frame', async () => {
  const sink = new RecordingCallSink();
  await withServer({ sink }, async (port) => {
    const customer = await AudioSocketClient.connect(port);
    const agent = await AudioSocketClient.connect(port);
    customer.uuid(uuid('000001', '00'));
    agent.uuid(uuid('000001', '01'));
    const customerPcm = tone(160 * 30, 1);
    const agentPcm = tone(320 * 30, 2);
    for (let k = 0; k < 30; k++) {
      customer.audio(customerPcm.subarray(k * 160, (k + 1) * 160), 8000);
      agent.audio(agentPcm.subarray(k * 320, (k + 1) * 320), 16000);
      if (k === 10) customer.dtmf('7');
    }
    await Promise.all([customer.hangup(), agent.hangup()]);
    await sink.waitFor(() => sink.calls[0]?.endReason !== undefined, 'the call to end');
    const call = sink.calls[0]!;
    assert.equal(sink.calls.length, 1);
    assert.deepEqual(
      { callId: call.spec.callId, agentId: call.spec.agentId, source: call.spec.source, legs: call.spec.legs },
      { callId: callIdOf('000001'), agentId: 'agent-7', source: 'audiosocket', legs: [{ role: 'agent', sampleRateHz: 16000 }, { role: 'customer', sampleRateHz: 8000 }] },
    );
    assert.deepEqual(call.leg('customer').pcm, customerPcm, 'customer leg sample for sample');
    assert.deepEqual(call.leg('agent').pcm, agentPcm, 'agent leg sample for sample');
    assert.deepEqual(call.leg('customer').offsets, call.leg('customer').offsets.map((_, k) => k * 160), 'contiguous leg clock');
    assert.deepEqual(call.digits, [{ role: 'customer', digit: '7', offsetMs: 220 }], 'digit on the customer leg at 11 frames');
    assert.equal(call.log.at(-1), 'end:hangup', 'end comes after every frame');
    const dtmfAt = call.log.indexOf('dtmf:customer:7');
    assert.equal(call.log.slice(0, dtmfAt).filter((e) => e === 'audio:customer').length, 11, 'the digit sits between the 11th and 12th customer frames');
  });
});

test('a lone leg becomes a one-leg call after the grouping window; its late partner is refused with an error frame', async () => {
  const sink = new RecordingCallSink();
  await withServer({ sink, groupingWindowMs: 150 }, async (port) => {
    const customer = await AudioSocketClient.connect(port);
    customer.uuid(uuid('000002', '00'));
    customer.audio(tone(160, 3));
    await sink.waitFor(() => sink.calls.length === 1, 'the one-leg call');
    assert.deepEqual(sink.calls[0]!.spec.legs, [{ role: 'customer', sampleRateHz: 8000 }]);
    const late = await AudioSocketClient.connect(port);
    late.uuid(uuid('000002', '01'));
    await late.closed;
    assert.deepEqual(late.errors, [{ code: AUDIOSOCKET_REFUSAL.pairing, detail: 'EARPIECE_BRIDGE_AUDIOSOCKET_LATE_LEG' }]);
    customer.audio(tone(160, 4));
    await customer.hangup();
    await sink.waitFor(() => sink.calls[0]!.endReason === 'hangup', 'end');
    assert.equal(sink.calls[0]!.leg('customer').pcm.length, 320, 'both frames of the lone leg arrived');
  });
});

test('a leg that never sends audio is declared at the default rate when the window closes; a leg value that is neither role is refused', async () => {
  const sink = new RecordingCallSink();
  await withServer({ sink, groupingWindowMs: 100, pairing: { mode: 'uuid-prefix', legFrom: 'last-nibble' } }, async (port) => {
    const a = await AudioSocketClient.connect(port);
    const b = await AudioSocketClient.connect(port);
    const odd = await AudioSocketClient.connect(port);
    a.uuid(uuid('000003', 'f1')); // low nibble 1: agent
    b.uuid(uuid('000003', 'a0')); // low nibble 0: customer
    b.audio(tone(320, 1), 16000);
    odd.uuid(uuid('000003', '07'));
    await odd.closed;
    assert.equal(odd.errors[0]?.detail, 'EARPIECE_BRIDGE_AUDIOSOCKET_PAIRING');
    await sink.waitFor(() => sink.calls.length === 1, 'the call');
    assert.deepEqual(sink.calls[0]!.spec.legs, [{ role: 'agent', sampleRateHz: 8000 }, { role: 'customer', sampleRateHz: 16000 }]);
    await Promise.all([a.hangup(), b.hangup()]);
  });
});

test('mapping mode: registered UUIDs carry call, role, agent and caller number; an unregistered UUID is refused', async () => {
  const sink = new RecordingCallSink();
  await withServer({ sink, groupingWindowMs: 100, pairing: { mode: 'mapping' }, resolve: (u) => (u.endsWith('99') ? { callId: 'pbx-resolved', role: 'customer', agentId: 'agent-9' } : undefined) }, async (port, server) => {
    const u1 = '11111111-2222-4333-8444-000000000001';
    const u2 = 'aaaaaaaa-2222-4333-8444-0000000000AA';
    server.mappings.set(u1, { callId: 'pbx-1234', role: 'customer', agentId: 'agent-3', callerNumber: '+14155550142' });
    server.mappings.set(u2.toLowerCase(), { callId: 'pbx-1234', role: 'agent', agentId: 'agent-3' });
    const [c, a, stranger, resolved] = await Promise.all([1, 2, 3, 4].map(() => AudioSocketClient.connect(port)));
    c!.uuid(u1);
    a!.uuid(u2);
    c!.audio(tone(160, 1));
    a!.audio(tone(160, 2));
    stranger!.uuid('99999999-2222-4333-8444-000000000001');
    resolved!.uuid('99999999-2222-4333-8444-000000000099');
    resolved!.audio(tone(160, 2));
    await stranger!.closed;
    assert.equal(stranger!.errors[0]?.detail, 'EARPIECE_BRIDGE_AUDIOSOCKET_PAIRING');
    await sink.waitFor(() => sink.calls.length === 1, 'the mapped call');
    const call = sink.calls[0]!;
    assert.deepEqual([call.spec.callId, call.spec.agentId, call.spec.callerNumber, call.spec.legs.map((l) => l.role)], ['pbx-1234', 'agent-3', '+14155550142', ['agent', 'customer']]);
    await Promise.all([c!.hangup(), a!.hangup(), resolved!.hangup()]);
    await sink.waitFor(() => sink.calls.length === 2 && sink.calls.every((k) => k.endReason === 'hangup'), 'both calls ended');
    assert.deepEqual([sink.calls[1]!.spec.callId, sink.calls[1]!.spec.agentId], ['pbx-resolved', 'agent-9']);
  });
});

test('shared secret: the right 0x02 frame admits; a wrong one, audio before it, or none in time get 0x11 and a close', async () => {
  const sink = new RecordingCallSink();
  await withServer({ sink, secret: 'correct horse', identifyTimeoutMs: 300, groupingWindowMs: 50 }, async (port) => {
    const good = await AudioSocketClient.connect(port);
    good.uuid(uuid('000004', '00'));
    good.auth('correct horse');
    good.audio(tone(160, 1));
    const wrong = await AudioSocketClient.connect(port);
    wrong.auth('Correct horse');
    const early = await AudioSocketClient.connect(port);
    early.uuid(uuid('000005', '00'));
    early.audio(tone(160, 1));
    const silent = await AudioSocketClient.connect(port);
    silent.uuid(uuid('000006', '00'));
    await Promise.all([wrong.closed, early.closed, silent.closed]);
    for (const c of [wrong, early, silent]) assert.deepEqual(c.errors, [{ code: AUDIOSOCKET_REFUSAL.auth, detail: 'EARPIECE_BRIDGE_AUDIOSOCKET_AUTH' }]);
    await good.hangup();
    await sink.waitFor(() => sink.calls[0]?.endReason === 'hangup', 'the authenticated call');
    assert.equal(sink.calls.length, 1);
    assert.equal(sink.calls[0]!.leg('customer').pcm.length, 160);
  });
});

test('capacity: a call the sink refuses gets an error frame on both legs, never half-accepted; connections past the limit are refused', async () => {
  const sink = new RecordingCallSink(1);
  await withServer({ sink, maxConnections: 4 }, async (port, server) => {
    const first = await Promise.all([AudioSocketClient.connect(port), AudioSocketClient.connect(port)]);
    first[0].uuid(uuid('000007', '00'));
    first[1].uuid(uuid('000007', '01'));
    first.forEach((c) => c.audio(tone(160, 1)));
    await sink.waitFor(() => sink.calls.length === 1, 'the first call');
    const second = await Promise.all([AudioSocketClient.connect(port), AudioSocketClient.connect(port)]);
    second[0].uuid(uuid('000008', '00'));
    second[1].uuid(uuid('000008', '01'));
    second.forEach((c) => c.audio(tone(160, 1)));
    await Promise.all(second.map((c) => c.closed));
    for (const c of second) assert.deepEqual(c.errors, [{ code: AUDIOSOCKET_REFUSAL.capacity, detail: 'EARPIECE_BRIDGE_CAPACITY' }]);
    assert.equal(sink.refused.length, 1);
    assert.equal(sink.calls.length, 1, 'no second call was opened');
    const third = await Promise.all([1, 2, 3].map(() => AudioSocketClient.connect(port)));
    await third[2]!.closed;
    assert.deepEqual(third[2]!.errors, [{ code: AUDIOSOCKET_REFUSAL.capacity, detail: 'EARPIECE_BRIDGE_AUDIOSOCKET_TOO_MANY_CONNECTIONS' }]);
    assert.equal(server.stats.refusedConnections, 1);
    await Promise.all([...first, third[0]!, third[1]!].map((c) => c.hangup()));
    assert.equal(sink.calls[0]!.endReason, 'hangup');
  });
});

test('junk and oversized frames close only the offending connection; a good call alongside completes', async () => {
  const sink = new RecordingCallSink();
  await withServer({ sink, maxPayloadBytes: 640, groupingWindowMs: 50 }, async (port) => {
    const good = await AudioSocketClient.connect(port);
    good.uuid(uuid('000009', '00'));
    const garbage = await AudioSocketClient.connect(port);
    garbage.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    const big = await AudioSocketClient.connect(port);
    big.uuid(uuid('00000a', '00'));
    big.audio(tone(160, 1));
    big.write(encodeAudio(tone(400, 1)));
    const noUuid = await AudioSocketClient.connect(port);
    noUuid.audio(tone(160, 1));
    await Promise.all([garbage.closed, big.closed, noUuid.closed]);
    assert.equal(garbage.errors[0]?.detail, 'EARPIECE_BRIDGE_AUDIOSOCKET_UNKNOWN_KIND');
    assert.equal(big.errors[0]?.detail, 'EARPIECE_BRIDGE_AUDIOSOCKET_FRAME_TOO_LARGE');
    assert.equal(noUuid.errors[0]?.detail, 'EARPIECE_BRIDGE_AUDIOSOCKET_NO_UUID');
    const pcm = tone(160 * 20, 5);
    await good.stream(pcm, 8000);
    await good.hangup();
    await sink.waitFor(() => sink.calls.filter((c) => c.endReason).length === 2, 'both calls ended');
    const bigCall = sink.call(callIdOf('00000a'))!;
    assert.equal(bigCall.endReason, 'error', 'the oversized leg ends its call with reason error');
    assert.equal(bigCall.leg('customer').pcm.length, 160, 'the frame before the oversized one was still handed on');
    const goodCall = sink.calls.find((c) => c !== bigCall)!;
    assert.deepEqual(goodCall.leg('customer').pcm, pcm);
    assert.equal(goodCall.endReason, 'hangup');
  });
});

test('closing without a hangup frame (even mid-frame) hands on every whole frame, then ends the call', async () => {
  const sink = new RecordingCallSink();
  await withServer({ sink, groupingWindowMs: 50 }, async (port) => {
    const c = await AudioSocketClient.connect(port);
    c.uuid(uuid('00000b', '00'));
    const pcm = tone(160 * 10, 6);
    await c.stream(pcm, 8000);
    c.write(encodeFrame(0x10, Buffer.alloc(320)).subarray(0, 100));
    await c.end();
    await sink.waitFor(() => sink.calls[0]?.endReason === 'hangup', 'the call to end');
    assert.deepEqual(sink.calls[0]!.leg('customer').pcm, pcm);
  });
});

test('back-pressure: a call without capacity pauses its socket; audio resumes in order when it has room again', async () => {
  const sink = new RecordingCallSink(10, true);
  await withServer({ sink, groupingWindowMs: 50 }, async (port, server) => {
    const c = await AudioSocketClient.connect(port);
    c.uuid(uuid('00000c', '00'));
    c.audio(tone(160, 1));
    await sink.waitFor(() => sink.calls.length === 1 && sink.calls[0]!.audioFrames.length === 1, 'the call');
    const call = sink.calls[0]!;
    call.setCapacity(false);
    c.audio(tone(160, 2));
    await sink.waitFor(() => server.pausedConnections === 1, 'the socket to pause');
    const delivered = call.audioFrames.length;
    const rest = tone(160 * 50, 3);
    await c.stream(rest, 8000);
    // Absence check: a paused socket is not read, so nothing more reaches the call.
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(call.audioFrames.length, delivered, 'nothing read while paused');
    call.setCapacity(true);
    await c.hangup();
    await sink.waitFor(() => call.endReason === 'hangup', 'the end');
    assert.deepEqual(call.leg('customer').pcm.subarray(320), rest, 'every frame, in order, after resuming');
  });
});

test('a leg that hangs up before its partner connects still joins it in one call; 96 kHz audio is resampled to the 48 kHz ingest maximum', async () => {
  const sink = new RecordingCallSink();
  await withServer({ sink, groupingWindowMs: 2000 }, async (port) => {
    const early = await AudioSocketClient.connect(port);
    early.uuid(uuid('00000d', '00'));
    early.audio(tone(160 * 5, 1));
    await early.hangup();
    const late = await AudioSocketClient.connect(port);
    late.uuid(uuid('00000d', '01'));
    await late.stream(tone(1920 * 10, 2), 96000);
    await late.hangup();
    await sink.waitFor(() => sink.calls[0]?.endReason === 'hangup', 'the call');
    const call = sink.calls[0]!;
    assert.equal(sink.calls.length, 1);
    assert.deepEqual(call.spec.legs, [{ role: 'agent', sampleRateHz: 48000 }, { role: 'customer', sampleRateHz: 8000 }]);
    assert.equal(call.leg('customer').pcm.length, 800);
    const agentSamples = call.leg('agent').pcm.length;
    assert.ok(Math.abs(agentSamples - 9600) <= 40, `200 ms at 48 kHz, the filter's tail drained at hangup: ${agentSamples}`);
  });
});
