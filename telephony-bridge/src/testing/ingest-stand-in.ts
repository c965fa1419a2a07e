/**
 * TEST STAND-IN for assist-server's ingest route, used because the bridge's unit tests must not
 * depend on the server package's runtime (recognizers, Redis, SQLite): a real `ws`
 * WebSocketServer on a real port that speaks the few protocol messages the bridge needs —
 * call.start → call.accepted (nextSeq) or error, ack every `ackEvery` frames, call.stop →
 * call.stopped — and records every frame per connection. The end-to-end test against the real
 * server lives with the server (assist-server/e2e).
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { CallStartMessage, decodeAudioFrame, type AudioFrame, type IngestErrorCode, type IngestServerMessage, type LegRole } from '@earpiece/assist-server/protocol';

export interface StandInConnection {
  index: number;
  start?: CallStartMessage;
  frames: AudioFrame[];
  stop?: { reason: string };
  socket: WebSocket;
  /** Set by dropConnection(): later messages on this socket are ignored. */
  dropped?: boolean;
}

export interface StandInOptions {
  /** Acknowledge every n frames per leg; 0 = never. Default 10. */
  ackEvery?: number;
  /** Answer call.start with this error instead of call.accepted. */
  refuseWith?: { code: IngestErrorCode; message: string; retryable: boolean };
  /** Delay call.stopped until this resolves. */
  holdStopped?: () => Promise<void>;
}

export class IngestStandIn {
  readonly connections: StandInConnection[] = [];
  /** Per leg: frames the "server" keeps (seq order); what it reports as nextSeq. */
  readonly kept = new Map<LegRole, AudioFrame[]>();
  readonly acked = new Map<LegRole, number>();
  #wss: WebSocketServer;
  #listeners = new Set<() => void>();

  private constructor(wss: WebSocketServer, readonly options: StandInOptions) {
    this.#wss = wss;
    wss.on('connection', (socket) => this.#onConnection(socket));
  }

  static async start(options: StandInOptions = {}): Promise<IngestStandIn> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/ingest' });
    await new Promise<void>((resolve, reject) => wss.once('listening', resolve).once('error', reject));
    return new IngestStandIn(wss, options);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.#wss.address() as AddressInfo).port}`;
  }

  /** Next seq per leg: one past the highest contiguous frame kept. */
  nextSeq(): Record<string, number> {
    return Object.fromEntries([...this.kept].map(([role, frames]) => [role, frames.length]));
  }

  /**
   * Drops the current connection abruptly and forgets every frame it had not acknowledged, as a
   * server that crashed before committing them would.
   */
  dropConnection(): void {
    const conn = this.connections.at(-1);
    for (const [role, frames] of this.kept) frames.length = (this.acked.get(role) ?? -1) + 1;
    if (conn) conn.dropped = true;
    conn?.socket.terminate();
  }

  /** Resolves when `predicate` holds, checked after every message; rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.#listeners.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#listeners.delete(check);
        reject(new Error(`stand-in: timed out waiting for ${what}`));
      }, timeoutMs);
      this.#listeners.add(check);
    });
  }

  async close(): Promise<void> {
    for (const client of this.#wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #onConnection(socket: WebSocket): void {
    const conn: StandInConnection = { index: this.connections.length, frames: [], socket };
    this.connections.push(conn);
    const send = (m: IngestServerMessage) => socket.send(JSON.stringify(m));
    let sinceAck = new Map<LegRole, number>();
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (conn.dropped) return;
      if (isBinary) {
        const frame = decodeAudioFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        conn.frames.push(frame);
        const kept = this.kept.get(frame.role)!;
        if (frame.seq === kept.length) kept.push(frame);
        const n = (sinceAck.get(frame.role) ?? 0) + 1;
        sinceAck.set(frame.role, n);
        const every = this.options.ackEvery ?? 10;
        if (every > 0 && n >= every) {
          sinceAck.set(frame.role, 0);
          this.acked.set(frame.role, kept.length - 1);
          send({ type: 'ack', callId: conn.start!.callId, role: frame.role, seq: kept.length - 1 });
        }
      } else {
        const msg = JSON.parse(data.toString('utf8')) as { type: string; reason?: string };
        if (msg.type === 'call.start') {
          conn.start = CallStartMessage.parse(msg);
          if (this.options.refuseWith) {
            send({ type: 'error', ...this.options.refuseWith });
            socket.close(1013, this.options.refuseWith.code);
          } else {
            for (const leg of conn.start.legs) if (!this.kept.has(leg.role)) this.kept.set(leg.role, []);
            send({ type: 'call.accepted', callId: conn.start.callId, nextSeq: this.nextSeq() });
          }
        } else if (msg.type === 'call.stop') {
          conn.stop = { reason: msg.reason ?? 'hangup' };
          sinceAck = new Map();
          for (const [role, frames] of this.kept) send({ type: 'ack', callId: conn.start!.callId, role, seq: frames.length - 1 });
          void (this.options.holdStopped?.() ?? Promise.resolve()).then(() => {
            send({ type: 'call.stopped', callId: conn.start!.callId });
            socket.close(1000, 'call stopped');
          });
        }
      }
      for (const l of [...this.#listeners]) l();
    });
    socket.on('close', () => {
      for (const l of [...this.#listeners]) l();
    });
  }
}
