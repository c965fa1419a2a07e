/**
 * Ends calls nobody owns any more. When a call's owner dies and no bridge ever reconnects (the PBX
 * side is gone too), nothing resumes the call: its claim lapses and it would stay in the live-call
 * index forever, never ended nor archived. Every node sweeps the index now and then: an entry
 * without a claim is marked (in a Redis hash, with Redis's clock, so every node measures from the
 * same moment); once it has been unowned for ORPHAN_GRACE_MS (longer than the bridge keeps trying to
 * reconnect a call), one node claims it (fenced: the claim is written only where none exists, so
 * exactly one sweeper wins) and ends it through the ordinary resume path (`endOrphan`), which queues
 * the archive of what the spool holds. An entry whose call is found ended already is removed.
 * A bridge that does come back meanwhile claims the call as usual and the mark is cleared.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { CallOwnership } from './call-ownership.ts';

/** How long a call must have been without an owner before it is ended (the bridge resends and reconnects for 60 s). */
export const ORPHAN_GRACE_MS = 120_000;
/** Mean time between two sweeps of one node (each wait is jittered by ±ORPHAN_SWEEP_JITTER). */
export const ORPHAN_SWEEP_INTERVAL_MS = 7_500;
const ORPHAN_SWEEP_JITTER = 0.3;

/** callId → when a sweep first saw it without an owner (Redis time, ms). */
export const ORPHANS_KEY = 'earpiece:orphaned-calls';

/**
 * Ends an orphaned call this node has just claimed: 'ended' (ended and its archive queued),
 * 'already-ended' (the store has it ended: only the index entry was stale), or 'unknown' (not
 * enough is known to resume it; it is left in the index and tried again later).
 */
export type EndOrphan = (callId: string) => Promise<'ended' | 'already-ended' | 'unknown'>;

export interface OrphanSweepOptions {
  redis: Redis;
  ownership: CallOwnership;
  /** The Redis hash callId → agentId of live calls. */
  indexKey: string;
  /** Whether this node has a live session for the call (it is not orphaned, whatever Redis says). */
  isLocal: (callId: string) => boolean;
  endOrphan: EndOrphan;
  graceMs: number;
  log: Logger;
}

export class OrphanSweep {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<string[]> | undefined;

  constructor(private readonly options: OrphanSweepOptions) {}

  /** Sweeps every intervalMs on average, jittered so that nodes started together do not sweep together. */
  start(intervalMs: number): void {
    const next = () => {
      const wait = intervalMs * (1 - ORPHAN_SWEEP_JITTER + Math.random() * 2 * ORPHAN_SWEEP_JITTER);
      this.timer = setTimeout(() => void this.sweep().finally(() => this.timer && next()), wait);
      this.timer.unref();
    };
    next();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One sweep (a sweep already running is joined); resolves with the calls this node ended or removed. */
  sweep(): Promise<string[]> {
    this.running ??= this.sweepOnce()
      .catch((err: Error) => {
        this.options.log.warn({ err: err.message }, 'orphaned-call sweep failed');
        return [];
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweepOnce(): Promise<string[]> {
    const { redis, ownership, indexKey } = this.options;
    const [index, marked] = await Promise.all([redis.hkeys(indexKey), redis.hkeys(ORPHANS_KEY)]);
    const indexed = new Set(index);
    const stale = marked.filter((callId) => !indexed.has(callId));
    if (stale.length) await redis.hdel(ORPHANS_KEY, ...stale);
    const callIds = index.filter((callId) => !this.options.isLocal(callId));
    if (callIds.length === 0) return [];
    const owners = await ownership.ownersOf(callIds);
    const owned = callIds.filter((_, i) => owners[i] !== undefined);
    const unowned = callIds.filter((_, i) => owners[i] === undefined);
    const [seconds, micros] = await redis.time();
    const nowMs = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    const pipeline = redis.pipeline();
    if (owned.length) pipeline.hdel(ORPHANS_KEY, ...owned); // owned again (a bridge came back): the grace starts over next time
    for (const callId of unowned) pipeline.hsetnx(ORPHANS_KEY, callId, String(nowMs));
    await pipeline.exec();
    const done: string[] = [];
    for (const callId of unowned) {
      const epoch = await ownership.claimOrphan(callId, ORPHANS_KEY, nowMs, this.options.graceMs);
      if (epoch === undefined) continue; // owned again, not orphaned long enough, or another node won it
      if (await this.end(callId, epoch)) done.push(callId);
    }
    return done;
  }

  /** Ends a call this node has claimed as an orphan; true when it is out of the index. */
  private async end(callId: string, epoch: number): Promise<boolean> {
    const { log } = this.options;
    let outcome: Awaited<ReturnType<EndOrphan>>;
    try {
      outcome = await this.options.endOrphan(callId);
    } catch (err) {
      log.warn({ callId, err: (err as Error).message }, 'cannot end an orphaned call; trying again at a later sweep');
      await this.options.ownership.release(callId).catch(() => undefined);
      return false;
    }
    if (outcome === 'unknown') {
      log.error({ callId }, 'an orphaned call cannot be resumed (nothing records how it started); it stays listed as live');
      await this.options.ownership.release(callId).catch(() => undefined);
      return false;
    }
    // The call.ended event removes the entry too (cluster-node.ts publish); removed here as well for an index entry that was stale.
    await this.options.redis.hdel(this.options.indexKey, callId);
    await this.options.ownership.release(callId).catch(() => undefined);
    log.info({ callId, epoch, outcome }, outcome === 'ended' ? 'ended a call whose owner was lost' : 'removed an ended call from the live-call index');
    return true;
  }
}
