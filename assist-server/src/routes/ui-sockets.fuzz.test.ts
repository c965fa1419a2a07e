/**
 * Fuzz: the UI WebSockets of a real node: the agent's (/ws/agent, routes/agent-socket-route.ts) and
 * the supervisor's wall and call view (/ws/supervisor, /ws/supervisor/call, supervisor-socket-route.ts).
 * Each case sends the same messages to the three sockets: valid client messages (snapshot.request,
 * ping, assist.feedback) with fields replaced, mutated JSON text, random JSON, random text and
 * binary. Every socket must answer exactly the errors the protocol says (counted against the
 * schema: an invalid message gets one error; the read-only views refuse what would act on a call),
 * stay open, and the node's heap must not grow without bound. Short count in CI; EARPIECE_SOAK=1
 * runs 100,000 cases.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import pino from 'pino';
import WebSocket from 'ws';
import { AgentClientMessage } from '../protocol/index.ts';
import { fuzzAsync } from '../testing/fuzz-harness.ts';
import { fuzzInput, mutatedJson } from '../testing/fuzz-mutations.ts';
import { startTestStack, type TestStack } from '../testing/test-stack.ts';

let stack: TestStack;
before(async () => {
  // Warnings (one per invalid message) are the expected answer to junk: only errors are printed.
  stack = await startTestStack({}, { logger: pino({ level: 'error' }, pino.destination(2)) });
});
after(async () => stack.close());

const SAMPLES: Array<Record<string, unknown>> = [
  { type: 'snapshot.request', callId: 'call-1' },
  { type: 'ping' },
  { type: 'assist.feedback', callId: 'call-1', articleId: 'kb-1', utteranceId: 'u-1', action: 'used' },
];

type Message = { text: string } | { binary: Buffer };
const message: fc.Arbitrary<Message> = fc.oneof(
  { weight: 4, arbitrary: mutatedJson(SAMPLES, ['action', 'articleId', 'utteranceId']).map((m) => ({ text: JSON.stringify(m) })) },
  { weight: 2, arbitrary: fc.constantFrom(...SAMPLES).map((m) => ({ text: JSON.stringify(m) })) },
  { weight: 2, arbitrary: fuzzInput(SAMPLES.map((m) => JSON.stringify(m)), { dictionary: ['"', '{', '}', '\\u0000', '"type":"ping"', '1e999'] }).map((b) => ({ text: b.toString('utf8') })) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => ({ text: JSON.stringify(v) })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((a) => ({ binary: Buffer.from(a) })) },
);

/** What the server reads: the UTF-8 text of the frame, parsed and checked against the schema. */
function read(m: Message) {
  try {
    return AgentClientMessage.safeParse(JSON.parse('text' in m ? m.text : m.binary.toString('utf8')));
  } catch {
    return undefined;
  }
}

class Client {
  errors = 0;
  closed: number | undefined;
  private wake: (() => void) | undefined;
  constructor(readonly name: string, readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as { type: string };
      if (m.type === 'error') this.errors++;
      this.wake?.();
    });
    ws.on('close', (code) => {
      this.closed = code;
      this.wake?.();
    });
  }
  static async open(name: string, url: string, headers: Record<string, string>): Promise<Client> {
    const ws = new WebSocket(url, { headers });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return new Client(name, ws);
  }
  async until(done: () => boolean): Promise<void> {
    while (!done() && this.closed === undefined) await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = undefined;
    assert.equal(this.closed, undefined, `the server closed the ${this.name} socket (code ${this.closed})`);
  }
}

test('fuzz: agent and supervisor sockets answer any messages with the errors the protocol says and stay open', async (t) => {
  const agent = await Client.open('agent', `${stack.wsUrl}/ws/agent`, (await stack.signIn('fuzz-agent', 'agent')).headers);
  const supervisor = (await stack.signIn('fuzz-supervisor', 'supervisor')).headers;
  const wall = await Client.open('supervisor wall', `${stack.wsUrl}/ws/supervisor`, supervisor);
  const watcher = await Client.open('supervisor call view', `${stack.wsUrl}/ws/supervisor/call?callId=call-1`, supervisor);
  const clients = [agent, wall, watcher];
  // Errors each socket owes so far: agent: invalid messages; wall: everything but a ping; call view: invalid messages and feedback.
  const expected = { agent: 0, wall: 0, watcher: 0 };
  await fuzzAsync(
    t,
    'ui-sockets-ws',
    fc.array(message, { minLength: 1, maxLength: 5 }),
    async (messages) => {
      for (const m of [...messages, { text: 'barrier' } as Message]) {
        const r = read(m);
        const valid = r?.success === true;
        expected.agent += valid ? 0 : 1;
        expected.wall += valid && r.data.type === 'ping' ? 0 : 1;
        expected.watcher += !valid || r.data.type === 'assist.feedback' ? 1 : 0;
        for (const c of clients) c.ws.send('text' in m ? m.text : m.binary, { binary: !('text' in m) });
      }
      await agent.until(() => agent.errors >= expected.agent);
      await wall.until(() => wall.errors >= expected.wall);
      await watcher.until(() => watcher.errors >= expected.watcher);
      assert.equal(wall.errors, expected.wall, 'the wall answers exactly one error per refused message');
      assert.equal(watcher.errors, expected.watcher, 'the call view answers exactly one error per refused message');
    },
    { shortRuns: 400 },
  );
  // Feedback on an unknown call is refused asynchronously (a database lookup): at least one per invalid message, more for feedback.
  assert.ok(agent.errors >= expected.agent);
  for (const c of clients) c.ws.close();
});
