/**
 * Media-stream server over real WebSockets (`ws` clients playing Twilio and mod_audio_fork) into
 * an in-memory RecordingCallSink: routing, auth, limits, junk isolation, close paths.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import alawmulaw from 'alawmulaw';
import WebSocket from 'ws';
import { RecordingCallSink } from '../../testing/recording-call-sink.ts';
import { startMediaStreamServer, type MediaStreamServerOptions } from './media-stream-server.ts';

const { mulaw } = alawmulaw;
const tone = (n: number, k: number) => Int16Array.from({ length: n }, (_, i) => Math.round(6000 * Math.sin((i * (k + 1)) / 5)));

type Server = Awaited<ReturnType<typeof startMediaStreamServer>>;

async function withServer(options: Partial<MediaStreamServerOptions> & { sink: RecordingCallSink }, body: (server: Server) => Promise<void>): Promise<void> {
  const server = await startMediaStreamServer({ host: '127.0.0.1', port: 0, ...options });
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

interface Client {
  ws: WebSocket;
  closed: Promise<{ code: number; reason: string }>;
}

function open(server: Server, path: string, headers: Record<string, string> = {}): Promise<Client> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, { headers });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, closed }));
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
  });
}

function twilioStart(callSid: string, params: Record<string, string>): string {
  return JSON.stringify({ event: 'start', sequenceNumber: '1', start: { streamSid: `MZ${callSid}`, callSid, tracks: ['inbound'], customParameters: params, mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } } });
}

function twilioMedia(k: number, pcm: Int16Array): string {
  return JSON.stringify({ event: 'media', sequenceNumber: String(k + 2), media: { track: 'inbound', chunk: String(k + 1), timestamp: String(k * 20), payload: Buffer.from(mulaw.encode(pcm)).toString('base64') } });
}

test('auth: Bearer, Basic password, ?token= and a token in the first message admit; a wrong credential is 401; none at all closes 1008', async () => {
  const sink = new RecordingCallSink();
  await withServer({ sink, secret: 'tw-secret', defaultAgentId: 'agent-0' }, async (server) => {
    const ok = [
      await open(server, '/media/twilio', { authorization: 'Bearer tw-secret' }),
      await open(server, '/media/audio-fork', { authorization: `Basic ${Buffer.from('fs:tw-secret').toString('base64')}` }),
      await open(server, '/media/audio-fork?token=tw-secret'),
      await open(server, '/media/twilio'),
    ];
    ok[0]!.ws.send(twilioStart('CA01', {}));
    ok[1]!.ws.send(JSON.stringify({ callId: 'af-01' }));
    ok[2]!.ws.send(JSON.stringify({ callId: 'af-02' }));
    ok[3]!.ws.send(twilioStart('CA02', { token: 'tw-secret' }));
    await sink.waitFor(() => sink.calls.length === 4, 'four calls');
    await assert.rejects(open(server, '/media/twilio', { authorization: 'Bearer tw-secreT' }), { status: 401 });
    await assert.rejects(open(server, '/media/audio-fork?token=nope'), { status: 401 });
    const none = await open(server, '/media/twilio');
    none.ws.send(twilioStart('CA03', { token: 'wrong' }));
    assert.deepEqual(await none.closed, { code: 1008, reason: 'EARPIECE_BRIDGE_WS_AUTH' });
    const noneFork = await open(server, '/media/audio-fork');
    noneFork.ws.send(JSON.stringify({ callId: 'af-03' }));
    assert.deepEqual(await noneFork.closed, { code: 1008, reason: 'EARPIECE_BRIDGE_WS_AUTH' });
    assert.equal(sink.calls.length, 4, 'no call opened for a rejected stream');
    for (const c of ok) c.ws.close();
    await sink.waitFor(() => sink.calls.every((c) => c.endReason === 'hangup'), 'all ended by close');
  });
});

test('junk closes its own stream with a clear code while a good Twilio stream completes', async () => {
  const sink = new RecordingCallSink();
  await withServer({ sink, maxPayload: 4096 }, async (server) => {
    const good = await open(server, '/media/twilio');
    good.ws.send(twilioStart('CAgood', { agentId: 'agent-1' }));
    const junk: Array<[string, (ws: WebSocket) => void, number, string]> = [
      ['/media/twilio', (ws) => ws.send('{{{ not json'), 1007, 'EARPIECE_BRIDGE_WS_BAD_JSON'],
      ['/media/twilio', (ws) => ws.send(JSON.stringify({ event: 'hello' })), 1008, 'EARPIECE_BRIDGE_WS_UNKNOWN_EVENT'],
      ['/media/twilio', (ws) => ws.send(Buffer.from([0xde, 0xad])), 1003, 'EARPIECE_BRIDGE_WS_UNEXPECTED_BINARY'],
      ['/media/audio-fork', (ws) => ws.send(Buffer.alloc(640)), 1003, 'EARPIECE_BRIDGE_WS_UNEXPECTED_BINARY'],
      ['/media/audio-fork', (ws) => ws.send(JSON.stringify({ agentId: 'a', mixType: 'surround' })), 1007, 'EARPIECE_BRIDGE_WS_BAD_MESSAGE'],
      ['/media/audio-fork', (ws) => ws.send(Buffer.alloc(8192)), 1009, ''],
      ['/media/twilio', (ws) => ws.send(JSON.stringify({ event: 'start', start: { mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000 }, callSid: 'CAx' } })), 1008, 'EARPIECE_BRIDGE_WS_NO_AGENT'],
    ];
    const pcm = tone(160 * 25, 1);
    for (let k = 0; k < 10; k++) good.ws.send(twilioMedia(k, pcm.subarray(k * 160, (k + 1) * 160)));
    for (const [path, send, code, reason] of junk) {
      const c = await open(server, path);
      send(c.ws);
      assert.deepEqual(await c.closed, { code, reason }, `${path}: ${reason || code}`);
    }
    await assert.rejects(open(server, '/media/other'), { status: 404 });
    for (let k = 10; k < 25; k++) good.ws.send(twilioMedia(k, pcm.subarray(k * 160, (k + 1) * 160)));
    good.ws.send(JSON.stringify({ event: 'stop', sequenceNumber: '27', stop: {} }));
    assert.deepEqual(await good.closed, { code: 1000, reason: 'stop' });
    await sink.waitFor(() => sink.call('CAgood')?.endReason === 'hangup', 'the good call to end');
    assert.deepEqual(sink.call('CAgood')!.leg('customer').pcm, mulaw.decode(mulaw.encode(pcm)), 'every frame of the good stream');
    assert.equal(sink.calls.length, 1);
  });
});

test('capacity: a stream beyond the sink closes 1013; beyond maxConnections the upgrade is 503', async () => {
  const sink = new RecordingCallSink(1);
  await withServer({ sink, maxConnections: 2, defaultAgentId: 'agent-1' }, async (server) => {
    const first = await open(server, '/media/audio-fork');
    first.ws.send(JSON.stringify({ callId: 'af-cap-1', mixType: 'stereo', sampleRate: 16000 }));
    first.ws.send(Buffer.alloc(1280));
    await sink.waitFor(() => sink.calls.length === 1, 'first call');
    const second = await open(server, '/media/audio-fork');
    second.ws.send(JSON.stringify({ callId: 'af-cap-2' }));
    second.ws.send(Buffer.alloc(320));
    assert.deepEqual(await second.closed, { code: 1013, reason: 'EARPIECE_BRIDGE_CAPACITY' });
    await sink.waitFor(() => server.streams === 1, 'the refused stream to go');
    const third = await open(server, '/media/twilio');
    await assert.rejects(open(server, '/media/twilio'), { status: 503 });
    third.ws.close();
    first.ws.close();
    await sink.waitFor(() => sink.calls[0]!.endReason === 'hangup', 'first call ended');
    assert.deepEqual(sink.calls[0]!.spec.legs, [{ role: 'customer', sampleRateHz: 16000 }, { role: 'agent', sampleRateHz: 16000 }]);
    assert.equal(sink.calls[0]!.leg('agent').pcm.length, 320);
  });
});

test('server close hands on what arrived, ends the call with shutdown and closes streams with 1001', async () => {
  const sink = new RecordingCallSink();
  const server = await startMediaStreamServer({ host: '127.0.0.1', port: 0, sink, defaultAgentId: 'agent-1' });
  const c = await open(server, '/media/audio-fork');
  c.ws.send(JSON.stringify({ callId: 'af-shut' }));
  c.ws.send(Buffer.alloc(320));
  await sink.waitFor(() => (sink.calls[0]?.audioFrames.length ?? 0) === 1, 'audio');
  await server.close();
  assert.deepEqual(await c.closed, { code: 1001, reason: 'EARPIECE_BRIDGE_SHUTTING_DOWN' });
  assert.equal(sink.calls[0]!.endReason, 'shutdown');
});
