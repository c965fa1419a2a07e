/**
 * Redis pub/sub between the nodes of one deployment. Every node publishes its calls' events on one
 * channel and listens on it (so an agent's or supervisor's socket on any node gets them), and each
 * node has its own channel for requests addressed to it (a call's snapshot, "let go of this call")
 * and their replies. Messages from one node arrive in the order it sent them (one connection).
 * Pub/sub is fire-and-forget: an event published while a node is cut off from Redis does not reach
 * that node's sockets; the UI catches up from a snapshot when it reconnects.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { CallEvent, CallSnapshotEvent } from '../protocol/index.ts';

export const EVENTS_CHANNEL = 'earpiece:bus:events';
const nodeChannel = (nodeId: string) => `earpiece:bus:node:${nodeId}`;

export type BusMessage =
  | { kind: 'event'; from: string; agentId: string; event: CallEvent; snapshot?: CallSnapshotEvent }
  | { kind: 'snapshot.request'; from: string; id: string; callId: string }
  | { kind: 'release.request'; from: string; id: string; callId: string; epoch: number }
  | { kind: 'reply'; from: string; id: string; body: unknown };

type Request = Extract<BusMessage, { kind: 'snapshot.request' | 'release.request' }>;
type RequestBody = DistributiveOmit<Request, 'from' | 'id'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface ClusterBusOptions {
  nodeId: string;
  /** Publishing connection (any mode). */
  pub: Redis;
  /** A connection for this bus alone (it enters subscriber mode). */
  sub: Redis;
  onMessage: (message: BusMessage) => void;
  onError: (err: Error) => void;
}

export class ClusterBus {
  private readonly pending = new Map<string, (body: unknown) => void>();

  constructor(private readonly options: ClusterBusOptions) {}

  async start(): Promise<void> {
    this.options.sub.on('message', (_channel: string, text: string) => {
      let message: BusMessage;
      try {
        message = JSON.parse(text) as BusMessage;
      } catch {
        return this.options.onError(new Error('a bus message is not JSON; ignored'));
      }
      if (message.kind === 'reply') {
        this.pending.get(message.id)?.(message.body);
        return;
      }
      this.options.onMessage(message);
    });
    await this.options.sub.subscribe(EVENTS_CHANNEL, nodeChannel(this.options.nodeId));
  }

  publishEvent(message: Omit<Extract<BusMessage, { kind: 'event' }>, 'kind' | 'from'>): void {
    this.send(EVENTS_CHANNEL, { kind: 'event', from: this.options.nodeId, ...message });
  }

  /** Asks one node; resolves with its reply, or undefined when none came within timeoutMs. */
  request(toNode: string, body: RequestBody, timeoutMs: number): Promise<unknown> {
    const id = randomUUID();
    return new Promise((resolve) => {
      const done = (reply: unknown) => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(reply);
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      this.pending.set(id, done);
      this.send(nodeChannel(toNode), { ...body, from: this.options.nodeId, id } as BusMessage);
    });
  }

  reply(toNode: string, id: string, body: unknown): void {
    this.send(nodeChannel(toNode), { kind: 'reply', from: this.options.nodeId, id, body });
  }

  close(): void {
    for (const done of [...this.pending.values()]) done(undefined);
  }

  private send(channel: string, message: BusMessage): void {
    this.options.pub.publish(channel, JSON.stringify(message)).catch((err: Error) => this.options.onError(err));
  }
}
