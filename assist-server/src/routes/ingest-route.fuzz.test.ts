/**
 * Fuzz: the ingest WebSocket of a real node (PocketSphinx, private Redis, SQLite). Each case sends a
 * few messages on a bridge connection: control JSON (valid call.start/stop/dtmf/hold with fields
 * replaced, mutated JSON text, random JSON and text) and binary frames (valid audio frames mutated
 * byte-wise, random bytes), then a barrier message the server must answer. The node must answer
 * every case (no hang), close connections only with the protocol's codes (1000 after call.stop,
 * 1008 for a peer past its budget of malformed messages, 1013 for a refused call), and stay
 * healthy; heap growth is bounded. Calls a case opens use one of a few call ids, so at most a few
 * real calls are recognized. Short count in CI; EARPIECE_SOAK=1 runs 100,000 cases.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import pino from 'pino';
import WebSocket from 'ws';
import { controlText } from '../testing/fuzz-ingest.ts';
import { encodeAudioFrame, IngestClientMessage, type IngestServerMessage } from '../protocol/index.ts';
import { fuzzAsync } from '../testing/fuzz-harness.ts';
import { fuzzInput } from '../testing/fuzz-mutations.ts';
import { startTestStack, type TestStack } from '../testing/test-stack.ts';

let stack: TestStack;
before(async () => {
  // Warnings (one per rejected message) and refused call.starts ("already ended", "at capacity") are the
  // expected answers to junk: only fatal lines are printed.
  stack = await startTestStack({}, { reconnectGraceMs: 200, logger: pino({ level: 'fatal' }, pino.destination(2)) });
});
after(async () => stack.close());

const ALLOWED_CLOSE_CODES = new Set([1000, 1008, 1013]);

class Peer {
  readonly errors: Array<Extract<IngestServerMessage, { type: 'error' }>> = [];
  closeCode: number | undefined;
  private wake: (() => void) | undefined;
  private constructor(readonly ws: WebSocket, readonly index: number) {
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as IngestServerMessage;
      if (m.type === 'error') this.errors.push(m);
      this.wake?.();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.wake?.();
    });
    ws.on('error', () => undefined);
  }
  static async open(url: string, index: number): Promise<Peer> {
    const ws = new WebSocket(`${url}/ingest`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return new Peer(ws, index);
  }
  /** Resolves when `done()` holds, re-checked on every message and on close. */
  async until(done: () => boolean): Promise<void> {
    while (!done()) await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = undefined;
  }
}

type Message = { text: string } | { binary: Buffer };

const FRAME_SAMPLES = [
  encodeAudioFrame({ role: 'agent', seq: 0, offsetSamples: 0, pcm: new Int16Array(160).fill(300) }),
  encodeAudioFrame({ role: 'customer', seq: 1, offsetSamples: 160, pcm: new Int16Array(160).fill(-300) }),
];

const message: fc.Arbitrary<Message> = fc.oneof(
  { weight: 3, arbitrary: controlText().map((text) => ({ text })) },
  { weight: 3, arbitrary: fuzzInput(FRAME_SAMPLES, { dictionary: ['\x01\x00', '\x01\x01', '\x00\x00\x00\x00'], maxRandomBytes: 64 }).map((binary) => ({ binary })) },
);

/** A call.start that would open a call gets one of a few call ids (so few calls are really recognized). */
function confine(m: Message, peer: Peer): Message {
  if (!('text' in m)) return m;
  let value: unknown;
  try {
    value = JSON.parse(m.text);
  } catch {
    return m;
  }
  const parsed = IngestClientMessage.safeParse(value);
  if (!parsed.success || parsed.data.type !== 'call.start') return m;
  return { text: JSON.stringify({ ...(value as object), callId: `fuzz-call-${peer.index % 4}`, agentId: 'fuzz-agent' }) };
}

test('fuzz: the ingest socket answers any messages, closes only with protocol codes, and the node stays healthy', async (t) => {
  let peer: Peer | undefined;
  let peers = 0;
  let barriers = 0;
  const closes = new Map<number, number>();
  await fuzzAsync(
    t,
    'ingest-route-ws',
    fc.array(message, { minLength: 1, maxLength: 6 }),
    async (messages) => {
      if (!peer || peer.closeCode !== undefined) peer = await Peer.open(stack.wsUrl, peers++);
      const p = peer;
      for (const m of messages.map((x) => confine(x, p))) p.ws.send('text' in m ? m.text : m.binary, { binary: !('text' in m) });
      const barrier = `barrier-${barriers++}`;
      p.ws.send(JSON.stringify({ type: 'call.hold', callId: barrier, held: true }));
      await p.until(() => p.closeCode !== undefined || p.errors.some((e) => e.message.includes(barrier)));
      p.errors.length = 0;
      if (p.closeCode !== undefined) {
        closes.set(p.closeCode, (closes.get(p.closeCode) ?? 0) + 1);
        assert.ok(ALLOWED_CLOSE_CODES.has(p.closeCode), `the server closed a bridge connection with code ${p.closeCode}`);
      }
    },
    { shortRuns: 300, maxCaseMs: 15_000 },
  );
  peer?.ws.close();
  t.diagnostic(JSON.stringify({ connections: peers, closes: Object.fromEntries(closes), liveCalls: stack.node.registry.size }));
  const health = await fetch(`${stack.httpUrl}/api/health`);
  assert.equal(health.status, 200);
});
