/**
 * This node's part in a deployment of several assist-server nodes sharing one Redis, one database
 * and one data directory (README "Running several nodes"):
 *
 * - ownership (call-ownership.ts): a node claims each call it opens or resumes; when a bridge moves
 *   a call here, the previous owner, if it is still running, is asked over the bus to let go
 *   first (it drops the session without ending or archiving it, its stored events flushed), so the
 *   spool and event seq this node resumes from are final. A killed owner's Redis connections are
 *   gone, so nobody waits for it; one that is connected but does not answer within releaseWaitMs
 *   is not waited for longer. Only the owner ends a call and queues its archive.
 * - events (cluster-bus.ts): every call event goes on the bus after it is stored; other nodes hand
 *   it to their agent and supervisor sockets.
 * - snapshots of calls owned elsewhere: asked of the owner over the bus (request/reply), so they
 *   hold what only the owner has (open partials, analysis state).
 * - live calls per agent: a Redis hash callId → agentId, kept by the owners; entries whose owner
 *   claim has lapsed (a node died and nobody resumed the call) are ignored, and ended by the
 *   orphan sweep (orphan-sweep.ts) once no bridge has brought them back for a grace period.
 * - the supervisor wall: calls owned elsewhere that this node saw start are on its wall from their
 *   call.started; those it did not (it started later) are fetched from their owners when a wall
 *   socket opens (showRemoteCalls), and follow their events from then on.
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { logRedisErrors } from '../redis/redis-error-log.ts';
import type { CallSession } from '../calls/call-session.ts';
import type { SessionRegistry } from '../calls/session-registry.ts';
import type { CallEvent, CallSnapshotEvent } from '../protocol/index.ts';
import type { AgentHub } from '../push/agent-hub.ts';
import type { SupervisorHub } from '../push/supervisor-hub.ts';
import { ClusterBus, type BusMessage } from './cluster-bus.ts';
import { CallOwnership, clientName } from './call-ownership.ts';
import { ORPHAN_GRACE_MS, ORPHAN_SWEEP_INTERVAL_MS, OrphanSweep, type EndOrphan } from './orphan-sweep.ts';

const LIVE_CALLS_KEY = 'earpiece:live-calls';

/** What the agent socket route needs for calls owned by other nodes. */
export interface RemoteCalls {
  /** Snapshots of the agent's live calls owned by other nodes (those not in localCallIds). */
  liveSnapshots(agentId: string, localCallIds: string[]): Promise<CallSnapshotEvent[]>;
  /** A snapshot of one call owned by another node; undefined when no owner answers. */
  snapshot(callId: string): Promise<CallSnapshotEvent | undefined>;
  /**
   * Puts the live calls owned by other nodes that this node's supervisor wall lacks (it started
   * after they did) on the wall, from their owners' snapshots; `visible` narrows which agents' calls
   * are fetched (a supervisor's team). Resolves once they are on the wall.
   */
  showRemoteCalls(visible?: (agentId: string) => boolean): Promise<void>;
}

export interface ClusterNodeOptions {
  redisUrl: string;
  nodeId: string;
  hub: AgentHub;
  supervisors: SupervisorHub;
  logger: Logger;
  /** Resolves when the call's events so far are stored (awaited before letting go of a call). */
  persisted: (callId: string) => Promise<void>;
  /** Claim and heartbeat lifetime (default 3000 ms). */
  ttlMs?: number;
  /** How long a node taking a call over waits for a live previous owner to let go (default 500 ms). */
  releaseWaitMs?: number;
  /** How long a snapshot request waits for the owner (default 1000 ms). */
  snapshotWaitMs?: number;
  /** How long a call must have had no owner before the orphan sweep ends it (default ORPHAN_GRACE_MS). */
  orphanGraceMs?: number;
  /** Mean time between orphan sweeps (default ORPHAN_SWEEP_INTERVAL_MS; 0: only when sweepOrphans() is called). */
  orphanSweepMs?: number;
}

export class ClusterNode implements RemoteCalls {
  private registry: SessionRegistry | undefined;
  /** Calls owned elsewhere: the agent and the snapshot their call.started carried (for the supervisor wall). */
  private readonly remote = new Map<string, { agentId: string; snapshot: CallSnapshotEvent }>();
  /** Calls owned elsewhere whose snapshot is being fetched for the wall: their events meanwhile, replayed after it. */
  private readonly fetching = new Map<string, { events: CallEvent[]; done: Promise<void> }>();
  private sweep: OrphanSweep | undefined;
  private readonly log: Logger;

  private constructor(
    private readonly options: ClusterNodeOptions,
    private readonly redis: Redis,
    private readonly sub: Redis,
    private readonly ownership: CallOwnership,
    private readonly bus: ClusterBus,
  ) {
    this.log = options.logger.child({ component: 'cluster', nodeId: options.nodeId });
  }

  static async start(options: ClusterNodeOptions): Promise<ClusterNode> {
    const log = options.logger.child({ component: 'cluster', nodeId: options.nodeId });
    const onError = (err: Error) => log.warn({ err: err.message }, 'cluster Redis error');
    // Named, so other nodes see in CLIENT LIST whether this node is still connected (call-ownership.ts nodeAlive).
    const connectionName = clientName(options.nodeId);
    const redis = new Redis(options.redisUrl, { lazyConnect: true, connectionName });
    const sub = new Redis(options.redisUrl, { lazyConnect: true, connectionName });
    logRedisErrors(log, 'cluster', redis);
    logRedisErrors(log, 'cluster subscriber', sub);
    let node: ClusterNode | undefined;
    const ownership = new CallOwnership({
      redis,
      nodeId: options.nodeId,
      ttlMs: options.ttlMs ?? 3000,
      onLost: (callId, newOwner) => node?.letGo(callId, `claimed by ${newOwner}`),
      onError,
    });
    const bus = new ClusterBus({ nodeId: options.nodeId, pub: redis, sub, onMessage: (m) => node?.onBusMessage(m), onError });
    try {
      await Promise.all([redis.connect(), sub.connect()]);
      node = new ClusterNode(options, redis, sub, ownership, bus);
      await bus.start();
      await ownership.start();
    } catch (err) {
      redis.disconnect();
      sub.disconnect();
      throw err;
    }
    log.info('joined the cluster');
    return node;
  }

  get nodeId(): string {
    return this.options.nodeId;
  }

  /** Whether this node holds the call's claim (as far as it knows). */
  owns(callId: string): boolean {
    return this.ownership.holds(callId);
  }

  /** The registry whose calls this node owns (set once it exists: it needs claim() first). */
  attach(registry: SessionRegistry): void {
    this.registry = registry;
  }

  /**
   * Starts sweeping for orphaned calls (orphan-sweep.ts); `endOrphan` ends a call this node has
   * just claimed, through the resume path (calls/end-orphaned-call.ts).
   */
  startOrphanSweep(endOrphan: EndOrphan): void {
    if (this.sweep) return;
    this.sweep = new OrphanSweep({
      redis: this.redis,
      ownership: this.ownership,
      indexKey: LIVE_CALLS_KEY,
      isLocal: (callId) => this.registry?.get(callId) !== undefined,
      endOrphan,
      graceMs: this.options.orphanGraceMs ?? ORPHAN_GRACE_MS,
      log: this.log,
    });
    const interval = this.options.orphanSweepMs ?? ORPHAN_SWEEP_INTERVAL_MS;
    if (interval > 0) this.sweep.start(interval);
  }

  /** Runs one orphan sweep now (after startOrphanSweep); resolves with the calls this node ended or removed from the index. */
  sweepOrphans(): Promise<string[]> {
    return this.sweep?.sweep() ?? Promise.resolve([]);
  }

  /**
   * Claims a call this node is about to open or resume. A previous owner that is still running is
   * asked to let go and answers once it has (waited for at most releaseWaitMs); a dead one is not asked.
   */
  async claim(callId: string): Promise<void> {
    let claimed: Awaited<ReturnType<CallOwnership['claim']>>;
    try {
      claimed = await withTimeout(this.ownership.claim(callId), 2000, 'claiming the call in Redis');
    } catch (err) {
      // Redis is out of reach: take the call anyway (live assist must not depend on Redis); the claim is written when Redis is back.
      this.log.warn({ callId, err: (err as Error).message }, 'cannot claim the call in Redis; taking it without a claim');
      this.ownership.assume(callId);
      return;
    }
    const { previous, epoch } = claimed;
    if (!previous || previous.nodeId === this.nodeId) return;
    if (!(await this.ownership.nodeAlive(previous.nodeId).catch(() => true))) {
      this.log.info({ callId, previousOwner: previous.nodeId, epoch }, 'took over a call from a node that is gone');
      return;
    }
    const startedAt = Date.now();
    const reply = await this.bus.request(previous.nodeId, { kind: 'release.request', callId, epoch }, this.options.releaseWaitMs ?? 500);
    this.log.info({ callId, previousOwner: previous.nodeId, epoch, released: reply !== undefined, waitedMs: Date.now() - startedAt }, 'took over a call from another node');
  }

  /** Claims the call, then loads what is known of it (store and spool, read after the old owner let go); a call found ended is let go again. */
  async claimAndLoad<T>(callId: string, load: () => Promise<T>): Promise<T> {
    await this.claim(callId);
    try {
      const known = await load();
      if (known === 'ended') await this.ownership.release(callId).catch(() => undefined);
      return known;
    } catch (err) {
      await this.ownership.release(callId).catch(() => undefined);
      throw err;
    }
  }

  /** Whether this node may end the call (it still owns it). A Redis that does not answer in time counts as yes. */
  async mayEnd(callId: string): Promise<boolean> {
    if (!this.ownership.holds(callId)) return false;
    return withTimeout(this.ownership.stillOwner(callId), 2000, 'asking Redis who owns the call').catch(() => true);
  }

  /** Puts a stored call event on the bus (the sink calls this after the local sockets had it). */
  publish(event: CallEvent, session: CallSession): void {
    if (event.type === 'call.started' || event.type === 'call.ended') this.remote.delete(event.callId); // it is this node's call now
    if (event.type === 'call.started') {
      this.bus.publishEvent({ agentId: session.agentId, event, snapshot: session.snapshot() });
      this.redis.hset(LIVE_CALLS_KEY, event.callId, session.agentId).catch((err: Error) => this.log.warn({ err: err.message }, 'cannot index a live call'));
      return;
    }
    this.bus.publishEvent({ agentId: session.agentId, event });
    if (event.type === 'call.ended') {
      this.redis.hdel(LIVE_CALLS_KEY, event.callId).catch(() => undefined);
      this.ownership.release(event.callId).catch((err: Error) => this.log.warn({ err: err.message, callId: event.callId }, 'cannot release a call claim'));
    }
  }

  async liveSnapshots(agentId: string, localCallIds: string[]): Promise<CallSnapshotEvent[]> {
    const all = await withTimeout(this.redis.hgetall(LIVE_CALLS_KEY), 1000, 'listing live calls');
    const local = new Set(localCallIds);
    const callIds = Object.entries(all)
      .filter(([callId, agent]) => agent === agentId && !local.has(callId))
      .map(([callId]) => callId);
    const owners = await withTimeout(this.ownership.ownersOf(callIds), 1000, 'looking up call owners');
    const snapshots = await Promise.all(callIds.map((callId, i) => (owners[i] && owners[i] !== this.nodeId ? this.ask(owners[i], callId) : undefined)));
    return snapshots.filter((s): s is CallSnapshotEvent => s !== undefined && !s.ended);
  }

  async showRemoteCalls(visible?: (agentId: string) => boolean): Promise<void> {
    const all = await withTimeout(this.redis.hgetall(LIVE_CALLS_KEY), 1000, 'listing live calls');
    const callIds = Object.entries(all)
      .filter(([callId, agent]) => (!visible || visible(agent)) && !this.remote.has(callId) && !this.registry?.get(callId))
      .map(([callId]) => callId);
    const owners = await withTimeout(this.ownership.ownersOf(callIds), 1000, 'looking up call owners');
    await Promise.all(callIds.map((callId, i) => (owners[i] && owners[i] !== this.nodeId ? this.showRemoteCall(owners[i], callId) : undefined)));
  }

  async snapshot(callId: string): Promise<CallSnapshotEvent | undefined> {
    const owner = await withTimeout(this.ownership.ownerOf(callId), 1000, 'looking up the call owner');
    return owner && owner !== this.nodeId ? this.ask(owner, callId) : undefined;
  }

  /**
   * Shutdown. With another node running, this node's calls are handed over: each is dropped here
   * without ending it (its events stored, its claim released), its bridge, whose connection the
   * server's close dropped, reconnects to another node, which resumes it. Alone, calls are ended.
   */
  async stopCalls(registry: SessionRegistry): Promise<void> {
    const others = await withTimeout(this.ownership.otherNodesConnected(), 2000, 'looking for other nodes').catch(() => false);
    if (!others || registry.size === 0) return registry.stopAll('shutdown');
    for (const session of registry.all()) {
      const { callId } = session;
      if (!registry.abandon(callId)) continue;
      await this.options.persisted(callId).catch(() => undefined);
      await this.ownership.release(callId).catch(() => undefined);
      this.log.info({ callId }, 'shutting down: call handed over to the other nodes');
    }
  }

  /** Leaves the cluster: stops renewing (this node's claims lapse) and closes the connections. */
  async close(): Promise<void> {
    this.sweep?.stop();
    // Bounded: a Redis that is down must not hold up a node's shutdown.
    await withTimeout(this.ownership.stop(), 1000, 'removing the heartbeat').catch(() => undefined);
    this.bus.close();
    this.sub.disconnect();
    await withTimeout(this.redis.quit(), 1000, 'closing the Redis connection').catch(() => undefined);
    this.redis.disconnect();
  }

  private async ask(owner: string, callId: string): Promise<CallSnapshotEvent | undefined> {
    const reply = (await this.bus.request(owner, { kind: 'snapshot.request', callId }, this.options.snapshotWaitMs ?? 1000)) as { snapshot?: CallSnapshotEvent } | undefined;
    return reply?.snapshot;
  }

  /**
   * Puts a call owned by `owner` on this node's wall from its snapshot. Events arriving while the
   * snapshot is on its way are kept and those it does not hold yet (higher seq) applied after it.
   */
  private showRemoteCall(owner: string, callId: string): Promise<void> {
    const pending = this.fetching.get(callId);
    if (pending) return pending.done;
    const events: CallEvent[] = [];
    const done = this.ask(owner, callId).then(
      (snapshot) => {
        this.fetching.delete(callId);
        // Ended, or seen start meanwhile (then it is on the wall already), or this node's own now.
        if (!snapshot || snapshot.ended || this.remote.has(callId) || this.registry?.get(callId)) return;
        const known = { agentId: snapshot.call.agentId, snapshot };
        this.remote.set(callId, known);
        const call = { callId, agentId: known.agentId, snapshot: () => known.snapshot };
        this.options.supervisors.showCall(call);
        for (const event of events) {
          if (event.seq <= snapshot.seq) continue;
          this.options.supervisors.onCallEvent(event, call);
          if (event.type === 'call.ended') this.remote.delete(callId);
        }
      },
      () => void this.fetching.delete(callId),
    );
    this.fetching.set(callId, { events, done });
    return done;
  }

  /** Another node owns the call now: drop the session here without ending it. */
  private letGo(callId: string, why: string): void {
    this.ownership.forget(callId);
    if (this.registry?.abandon(callId)) this.log.warn({ callId, why }, 'lost a call to another node; dropped it here without ending it');
  }

  private onBusMessage(message: BusMessage): void {
    if (message.from === this.nodeId) return;
    if (message.kind === 'event') return this.onRemoteEvent(message);
    if (message.kind === 'snapshot.request') {
      const session = this.registry?.get(message.callId);
      this.bus.reply(message.from, message.id, { snapshot: session && this.ownership.holds(message.callId) ? session.snapshot() : undefined });
      return;
    }
    if (message.kind === 'release.request') {
      this.letGo(message.callId, `taken over by ${message.from}`);
      const answer = () => this.bus.reply(message.from, message.id, { released: true });
      this.options.persisted(message.callId).then(answer, answer);
    }
  }

  private onRemoteEvent(message: Extract<BusMessage, { kind: 'event' }>): void {
    const { event, agentId } = message;
    if (this.registry?.get(event.callId)) return; // this node owns it now; the sender's event is stale
    if (message.snapshot) this.remote.set(event.callId, { agentId, snapshot: message.snapshot });
    this.fetching.get(event.callId)?.events.push(event);
    this.options.hub.publish(agentId, event, {});
    const known = this.remote.get(event.callId);
    if (known) this.options.supervisors.onCallEvent(event, { callId: event.callId, agentId, snapshot: () => known.snapshot });
    else this.options.supervisors.forwardToWatchers(event);
    if (event.type === 'call.ended') this.remote.delete(event.callId);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
