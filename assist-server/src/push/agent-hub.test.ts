/**
 * AgentHub over real WebSockets: a socket greeted late (its agent's calls on other nodes are being
 * looked up) misses nothing and gets the protocol order: session.ready, the snapshots, then the
 * events published to it meanwhile, in the order they were published.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import pino from 'pino';
import WebSocket, { WebSocketServer } from 'ws';
import { PipelineMetrics } from '../metrics/pipeline-metrics.ts';
import { AGENT_UI_PROTOCOL_VERSION, type AgentServerMessage, type CallEvent, type CallSnapshotEvent } from '../protocol/index.ts';
import { AgentHub, type AgentGreeting } from './agent-hub.ts';

test('events published while a socket waits for its greeting follow session.ready and the snapshots, in order', async () => {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.once('listening', r));
  const serverSide = new Promise<WebSocket>((r) => wss.once('connection', r));
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  const received: AgentServerMessage[] = [];
  client.on('message', (data) => received.push(JSON.parse(data.toString()) as AgentServerMessage));
  const socket = await serverSide;
  try {
    const hub = new AgentHub(new PipelineMetrics(), pino({ level: 'silent' }));
    let greet!: (g: AgentGreeting) => void;
    const detach = hub.attachGreeting('agent-1', socket, new Promise<AgentGreeting>((r) => (greet = r)));
    const event = (seq: number): CallEvent => ({ v: AGENT_UI_PROTOCOL_VERSION, type: 'call.hold', held: seq % 2 === 0, callId: 'c-1', seq, atMs: seq });
    hub.publish('agent-1', event(7), {});
    hub.publish('agent-1', event(8), {});
    const snapshot = { v: AGENT_UI_PROTOCOL_VERSION, type: 'call.snapshot', callId: 'c-1', seq: 6 } as unknown as CallSnapshotEvent;
    greet({ liveCallIds: ['c-1'], snapshots: [snapshot] });
    await new Promise((r) => setImmediate(r));
    hub.publish('agent-1', event(9), {});
    const deadline = Date.now() + 5000;
    while (received.length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(
      received.map((m) => [m.type, 'seq' in m ? m.seq : undefined]),
      [['session.ready', undefined], ['call.snapshot', 6], ['call.hold', 7], ['call.hold', 8], ['call.hold', 9]],
    );
    assert.deepEqual(received[0]!.type === 'session.ready' && received[0]!.liveCallIds, ['c-1']);
    detach();
  } finally {
    client.close();
    await new Promise((r) => wss.close(r));
  }
});
