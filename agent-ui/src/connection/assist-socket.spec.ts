// @vitest-environment node
// Node environment: jsdom's WebSocket (undici) breaks under vitest's mixed Event realms, and Node 20
// has no global WebSocket, so the client is `ws`'s WebSocket, which has the browser's handler API.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket as WsClient, WebSocketServer } from 'ws';
import type { WebSocket as ServerSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import type { AgentServerMessage } from '@earpiece/assist-server/protocol';
import { article, final, snapshot, started, suggestions, warning } from '../testing/agent-messages.ts';
import { agentSocketUrl } from './agent-socket-url.ts';
import { AssistSocket } from './assist-socket.ts';
import type { ConnectionStatus } from './assist-socket.ts';

// A real WebSocket server and client over loopback; no mocks.
let server: WebSocketServer;
let connections: Array<{ socket: ServerSocket; url: string; received: unknown[] }>;
let client: AssistSocket | null;

beforeEach(async () => {
  connections = [];
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (socket, request) => {
    const entry = { socket, url: request.url ?? '', received: [] as unknown[] };
    socket.on('message', (data) => entry.received.push(JSON.parse(String(data))));
    connections.push(entry);
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
});

afterEach(async () => {
  client?.close();
  client = null;
  for (const c of server.clients) c.terminate();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function connect(agentId = 'agent 7') {
  const { port } = server.address() as AddressInfo;
  const socket = new AssistSocket({
    url: agentSocketUrl({ protocol: 'http:', host: `127.0.0.1:${port}` }, agentId),
    backoff: { initialMs: 20, maxMs: 80 },
    pingIntervalMs: 0,
    createWebSocket: (url) => new WsClient(url) as unknown as WebSocket,
  });
  const messages: AgentServerMessage[] = [];
  const statuses: ConnectionStatus[] = [socket.status];
  socket.onMessage((m) => messages.push(m));
  socket.onStatus((s) => statuses.push(s));
  socket.start();
  client = socket;
  return { socket, messages, statuses };
}

const sendFrom = (index: number, message: unknown) =>
  connections[index]!.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
const waitFor = (check: () => void) => vi.waitFor(check, { timeout: 3000, interval: 10 });

describe('AssistSocket', () => {
  it('connects to /ws/agent with the agent id and delivers parsed messages', async () => {
    const { messages, statuses } = connect('agent 7');
    await waitFor(() => expect(connections).toHaveLength(1));
    expect(connections[0]!.url).toBe('/ws/agent?agentId=agent%207');
    await waitFor(() => expect(statuses.at(-1)).toBe('live'));

    sendFrom(0, { v: 1, type: 'session.ready', agentId: 'agent 7', serverTimeMs: 1, liveCallIds: [] });
    sendFrom(0, started(1));
    await waitFor(() => expect(messages.map((m) => m.type)).toEqual(['session.ready', 'call.started']));
    expect(statuses).toEqual(['connecting', 'live']);
  });

  it('drops frames that are not protocol messages and counts them', async () => {
    const { socket, messages } = connect();
    await waitFor(() => expect(socket.status).toBe('live'));
    sendFrom(0, 'not json');
    sendFrom(0, { v: 2, type: 'session.ready', agentId: 'a', serverTimeMs: 1, liveCallIds: [] });
    sendFrom(0, { v: 1, type: 'suggestion.new', callId: 'c', seq: 1 });
    sendFrom(0, { v: 1, type: 'transcript.final', seq: 1 });
    sendFrom(0, started(1));
    await waitFor(() => expect(messages).toHaveLength(1));
    expect(socket.droppedFrames).toBe(4);
  });

  it('asks once for a snapshot when a call skips a seq, and again only after the snapshot', async () => {
    const { socket, messages } = connect();
    await waitFor(() => expect(socket.status).toBe('live'));
    sendFrom(0, started(1));
    sendFrom(0, final(2, 'u1', 'customer', 'a', 0));
    sendFrom(0, final(4, 'u2', 'customer', 'b', 100)); // 3 is missing
    sendFrom(0, final(6, 'u3', 'customer', 'c', 200)); // still waiting for the snapshot
    await waitFor(() => expect(messages).toHaveLength(4));
    await waitFor(() => expect(connections[0]!.received).toEqual([{ type: 'snapshot.request', callId: 'call-1' }]));

    sendFrom(0, snapshot(6));
    sendFrom(0, final(7, 'u4', 'customer', 'd', 300));
    sendFrom(0, final(9, 'u5', 'customer', 'e', 400));
    await waitFor(() => expect(messages).toHaveLength(7));
    await waitFor(() => expect(connections[0]!.received).toHaveLength(2));
    expect(connections[0]!.received[1]).toEqual({ type: 'snapshot.request', callId: 'call-1' });
  });

  it('asks for a snapshot of a call it first hears about mid-call', async () => {
    const { socket } = connect();
    await waitFor(() => expect(socket.status).toBe('live'));
    sendFrom(0, final(12, 'u1', 'agent', 'x', 0, 'call-9'));
    await waitFor(() => expect(connections[0]!.received).toEqual([{ type: 'snapshot.request', callId: 'call-9' }]));
  });

  it('reconnects by itself after the server drops it, then goes live again', async () => {
    const { socket, statuses, messages } = connect();
    await waitFor(() => expect(socket.status).toBe('live'));
    connections[0]!.socket.terminate();
    await waitFor(() => expect(connections).toHaveLength(2));
    await waitFor(() => expect(socket.status).toBe('live'));
    expect(statuses).toEqual(['connecting', 'live', 'reconnecting', 'live']);
    expect(connections[1]!.url).toBe(connections[0]!.url);

    // After the reconnect the server opens with a snapshot; seq tracking restarts from it.
    sendFrom(1, snapshot(20));
    sendFrom(1, final(21, 'u1', 'agent', 'x', 0));
    await waitFor(() => expect(messages.map((m) => m.type)).toEqual(['call.snapshot', 'transcript.final']));
    expect(connections[1]!.received).toEqual([]);
  });

  it('sends assist feedback to the server and delivers the new assist events', async () => {
    const { socket, messages } = connect();
    await waitFor(() => expect(socket.status).toBe('live'));
    sendFrom(0, started(1));
    sendFrom(0, suggestions(2, 'u1', 'final', [article('kb-card-arrival')]));
    sendFrom(0, warning(3, 'disclosure', 'critical'));
    await waitFor(() => expect(messages.map((m) => m.type)).toEqual(['call.started', 'assist.suggestions', 'compliance.warning']));

    expect(socket.send({ type: 'assist.feedback', callId: 'call-1', articleId: 'kb-card-arrival', utteranceId: 'u1', action: 'used' })).toBe(true);
    await waitFor(() => expect(connections[0]!.received).toEqual([{ type: 'assist.feedback', callId: 'call-1', articleId: 'kb-card-arrival', utteranceId: 'u1', action: 'used' }]));
    expect(() => socket.send({ type: 'assist.feedback', callId: 'call-1', articleId: '', action: 'used' })).toThrow(/AgentClientMessage/);
  });

  it('close() is idempotent and closes the connection', async () => {
    const { socket, statuses } = connect();
    await waitFor(() => expect(socket.status).toBe('live'));
    const closed = new Promise<number>((resolve) => connections[0]!.socket.once('close', (code) => resolve(code)));
    socket.close();
    socket.close();
    expect(await closed).toBe(1000);
    expect(statuses).toEqual(['connecting', 'live']);
    expect(socket.send({ type: 'ping' })).toBe(false);
  });
});
