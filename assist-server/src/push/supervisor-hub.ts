/**
 * Pushes the supervisor wall: a rollup row per live call, an alert feed (compliance warnings,
 * escalations) and call ends to every wall socket; and each call's full event stream to the
 * supervisors watching that call read-only. Fed by the call-event sink beside the agent hub.
 * A socket that has fallen far behind is closed: the UI reconnects and starts from `wall.ready`
 * (or a `call.snapshot`).
 */
import type { WebSocket } from 'ws';
import type { Logger } from 'pino';
import {
  AGENT_UI_PROTOCOL_VERSION,
  SUPERVISOR_PROTOCOL_VERSION,
  SUPERVISOR_RECENT_ALERTS,
  type AgentServerMessage,
  type CallEvent,
  type CallSnapshotEvent,
  type LiveCallRollup,
  type SupervisorAlert,
  type SupervisorServerMessage,
} from '../protocol/index.ts';
import { applyToRollup, rollupFromSnapshot } from './call-rollup.ts';

const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** What the hub needs of a live call (a CallSession). */
export interface WatchableCall {
  readonly callId: string;
  readonly agentId: string;
  snapshot(): CallSnapshotEvent;
}

export class SupervisorHub {
  private readonly rollups = new Map<string, LiveCallRollup>();
  private readonly alerts: SupervisorAlert[] = [];
  /** Each wall socket with the agents it may see (a supervisor's team; undefined: every agent). */
  private readonly walls = new Map<WebSocket, ((agentId: string) => boolean) | undefined>();
  private readonly watchers = new Map<string, Set<WebSocket>>();

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** The sink calls this with every call event, after the agent hub. */
  onCallEvent(event: CallEvent, call: WatchableCall): void {
    this.updateWall(event, call);
    this.forwardToWatchers(event);
  }

  /** Hands an event to the call's read-only watchers only (a call owned by another node, not on this node's wall). */
  forwardToWatchers(event: CallEvent): void {
    const watching = this.watchers.get(event.callId);
    if (watching?.size) {
      const payload = JSON.stringify(event);
      for (const socket of watching) this.deliver(socket, payload);
    }
  }

  /**
   * Registers a wall socket and greets it with the live calls (`live`: the registry's sessions) and recent
   * alerts; `visible` narrows everything the socket gets to some agents' calls (a supervisor's team).
   */
  attachWall(socket: WebSocket, live: WatchableCall[], visible?: (agentId: string) => boolean): () => void {
    for (const call of live) this.rollupOf(call);
    this.walls.set(socket, visible);
    const calls = [...this.rollups.values()].filter((c) => !visible || visible(c.agentId)).sort((a, b) => a.startedAtMs - b.startedAtMs);
    const alerts = this.alerts.filter((a) => !visible || visible(a.agentId));
    this.sendWall(socket, { v: SUPERVISOR_PROTOCOL_VERSION, type: 'wall.ready', serverTimeMs: this.now(), calls, alerts });
    return () => this.walls.delete(socket);
  }

  /** Registers a read-only watcher of `callId` and sends it what an agent gets on connect: session.ready, then the snapshot. */
  attachWatcher(callId: string, socket: WebSocket, call: WatchableCall | undefined): () => void {
    let set = this.watchers.get(callId);
    if (!set) this.watchers.set(callId, (set = new Set()));
    set.add(socket);
    const snapshot = call?.snapshot();
    const live = snapshot !== undefined && !snapshot.ended;
    this.sendAgentMessage(socket, { v: AGENT_UI_PROTOCOL_VERSION, type: 'session.ready', agentId: call?.agentId ?? '', serverTimeMs: this.now(), liveCallIds: live ? [callId] : [] });
    if (snapshot) this.sendAgentMessage(socket, snapshot);
    return () => {
      set.delete(socket);
      if (set.size === 0) this.watchers.delete(callId);
    };
  }

  sendAgentMessage(socket: WebSocket, message: AgentServerMessage): boolean {
    return this.deliver(socket, JSON.stringify(message));
  }

  sendWall(socket: WebSocket, message: SupervisorServerMessage): boolean {
    return this.deliver(socket, JSON.stringify(message));
  }

  /**
   * Puts a live call on the wall that this node did not see start (one owned by another node, which
   * this node learned of later), from its snapshot; nothing when the wall has it already.
   */
  showCall(call: WatchableCall): void {
    if (this.rollups.has(call.callId)) return;
    const rollup = this.rollupOf(call);
    if (rollup) this.broadcast(call.agentId, { v: SUPERVISOR_PROTOCOL_VERSION, type: 'wall.call', call: rollup });
  }

  /** Live calls as the wall sees them (oldest first). */
  liveCalls(): LiveCallRollup[] {
    return [...this.rollups.values()].sort((a, b) => a.startedAtMs - b.startedAtMs);
  }

  private rollupOf(call: WatchableCall): LiveCallRollup | undefined {
    const known = this.rollups.get(call.callId);
    if (known) return known;
    const snapshot = call.snapshot();
    if (snapshot.ended) return undefined;
    const rollup = rollupFromSnapshot(snapshot);
    this.rollups.set(call.callId, rollup);
    return rollup;
  }

  private updateWall(event: CallEvent, call: WatchableCall): void {
    if (event.type === 'call.ended') {
      const had = this.rollups.delete(event.callId);
      if (had) this.broadcast(call.agentId, { v: SUPERVISOR_PROTOCOL_VERSION, type: 'wall.call.ended', callId: event.callId, agentId: call.agentId, reason: event.reason, durationMs: event.durationMs, atMs: event.atMs });
      return;
    }
    if (event.type === 'call.started') {
      const rollup = rollupFromSnapshot(call.snapshot());
      this.rollups.set(event.callId, rollup);
      this.broadcast(call.agentId, { v: SUPERVISOR_PROTOCOL_VERSION, type: 'wall.call', call: rollup });
      return;
    }
    const known = this.rollups.has(event.callId);
    const rollup = this.rollupOf(call);
    if (!rollup) return;
    // A call first seen mid-stream (resumed after a restart) is shown from its snapshot, which already holds this event.
    const change = known ? applyToRollup(rollup, event) : { rollup };
    if (change.rollup) {
      this.rollups.set(event.callId, change.rollup);
      this.broadcast(call.agentId, { v: SUPERVISOR_PROTOCOL_VERSION, type: 'wall.call', call: change.rollup });
    }
    if (change.alert) {
      this.alerts.push(change.alert);
      if (this.alerts.length > SUPERVISOR_RECENT_ALERTS) this.alerts.splice(0, this.alerts.length - SUPERVISOR_RECENT_ALERTS);
      this.broadcast(call.agentId, { v: SUPERVISOR_PROTOCOL_VERSION, type: 'wall.alert', alert: change.alert });
    }
  }

  private broadcast(agentId: string, message: SupervisorServerMessage): void {
    if (this.walls.size === 0) return;
    const payload = JSON.stringify(message);
    for (const [socket, visible] of this.walls) if (!visible || visible(agentId)) this.deliver(socket, payload);
  }

  private deliver(socket: WebSocket, payload: string): boolean {
    if (socket.readyState !== socket.OPEN) return false;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.logger.warn({ bufferedAmount: socket.bufferedAmount }, 'supervisor socket too far behind; closing it so it resyncs');
      socket.close(1013, 'too slow; reconnect');
      return false;
    }
    socket.send(payload);
    return true;
  }
}
