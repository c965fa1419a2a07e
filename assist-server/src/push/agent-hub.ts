/**
 * Pushes call events to agents' WebSockets. An agent may have several sockets open (tabs,
 * reconnects); each gets every event of that agent's calls. A socket that has fallen far behind
 * (bufferedAmount over the limit) is closed: the UI reconnects and catches up from a snapshot.
 */
import type { WebSocket } from 'ws';
import type { Logger } from 'pino';
import { AGENT_UI_PROTOCOL_VERSION, type AgentServerMessage, type CallEvent } from '../protocol/index.ts';
import type { EventTiming } from '../calls/call-session.ts';
import type { PipelineMetrics } from '../metrics/pipeline-metrics.ts';

const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** What a socket is greeted with: session.ready's live call ids, then a snapshot of each. */
export interface AgentGreeting {
  liveCallIds: string[];
  snapshots: AgentServerMessage[];
}

export class AgentHub {
  private readonly sockets = new Map<string, Set<WebSocket>>();
  /** Sockets registered but not greeted yet: what they are sent meanwhile waits here, in order. */
  private readonly waiting = new Map<WebSocket, string[]>();

  constructor(
    private readonly metrics: PipelineMetrics,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Registers the socket and greets it; `liveCallIds` tells a reconnecting UI which of its calls ended meanwhile. */
  attach(agentId: string, socket: WebSocket, liveCallIds: string[]): () => void {
    let set = this.sockets.get(agentId);
    if (!set) this.sockets.set(agentId, (set = new Set()));
    set.add(socket);
    this.send(socket, { v: AGENT_UI_PROTOCOL_VERSION, type: 'session.ready', agentId, serverTimeMs: this.now(), liveCallIds });
    return () => {
      set.delete(socket);
      if (set.size === 0) this.sockets.delete(agentId);
    };
  }


  /**
   * Registers the socket at once (no event is missed) and greets it when `greeting` resolves (the
   * agent's calls on other nodes are being looked up): session.ready, the snapshots, then what was
   * published to it meanwhile, in order. `greeting` must not reject.
   */
  attachGreeting(agentId: string, socket: WebSocket, greeting: Promise<AgentGreeting>): () => void {
    let set = this.sockets.get(agentId);
    if (!set) this.sockets.set(agentId, (set = new Set()));
    set.add(socket);
    this.waiting.set(socket, []);
    void greeting.then(({ liveCallIds, snapshots }) => {
      const queued = this.waiting.get(socket);
      if (!queued) return; // closed meanwhile
      this.waiting.delete(socket);
      this.send(socket, { v: AGENT_UI_PROTOCOL_VERSION, type: 'session.ready', agentId, serverTimeMs: this.now(), liveCallIds });
      for (const snapshot of snapshots) this.send(socket, snapshot);
      for (const payload of queued) this.deliver(socket, payload);
    });
    return () => {
      this.waiting.delete(socket);
      set.delete(socket);
      if (set.size === 0) this.sockets.delete(agentId);
    };
  }

  send(socket: WebSocket, message: AgentServerMessage): boolean {
    return this.deliver(socket, JSON.stringify(message));
  }

  publish(agentId: string, event: CallEvent, timing: EventTiming): void {
    const set = this.sockets.get(agentId);
    if (!set || set.size === 0) return;
    const payload = JSON.stringify(event);
    let sent = false;
    for (const socket of set) sent = this.deliver(socket, payload) || sent;
    if (!sent) return;
    this.metrics.eventsPushed++;
    if (timing.sourceReceivedAtMs !== undefined) {
      const latency = this.now() - timing.sourceReceivedAtMs;
      if (event.type === 'transcript.partial') this.metrics.partialLatencyMs.record(latency);
      else if (event.type === 'transcript.final') this.metrics.finalLatencyMs.record(latency);
    }
  }

  private deliver(socket: WebSocket, payload: string): boolean {
    const queued = this.waiting.get(socket);
    if (queued) return queued.push(payload) > 0;
    if (socket.readyState !== socket.OPEN) return false;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.logger.warn({ bufferedAmount: socket.bufferedAmount }, 'agent socket too far behind; closing it so it resyncs');
      socket.close(1013, 'too slow; reconnect');
      return false;
    }
    socket.send(payload);
    return true;
  }
}
