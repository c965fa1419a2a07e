/**
 * Which node owns each live call, kept in the shared Redis. The node that opens a call (new, or
 * resumed when a bridge reconnects to it) claims it: the claim bumps the call's fencing epoch and
 * names this node in a key with a TTL that the owner renews. A claim always wins (the bridge has
 * moved here, so the old owner has lost its audio); the old owner finds out at its next renewal,
 * or at once through the bus (cluster-node.ts), and drops the call without ending it.
 *
 *   earpiece:call:<callId>:owner  "<nodeId>|<epoch>"  PX ttl   (renewed every ttl/3)
 *   earpiece:call:<callId>:epoch  counter                      (fencing epoch, kept a day)
 *   earpiece:node:<nodeId>        "1"                 PX ttl   (heartbeat, where Redis cannot list its clients)
 *
 * A Redis outage is not a lost claim: renewals that fail are retried, and a claim key that
 * vanished (a Redis restarted without persistence) is written again by its owner.
 */
import type { Redis } from 'ioredis';

export interface CallOwnershipOptions {
  redis: Redis;
  nodeId: string;
  /** Claim and heartbeat lifetime; renewed every ttlMs / 3. */
  ttlMs: number;
  /** Another node claimed a call this node owned. */
  onLost: (callId: string, newOwner: string) => void;
  onError?: (err: Error) => void;
}

const EPOCH_TTL_S = 86_400;

// KEYS: owner, epoch. ARGV: nodeId, ttlMs, epochTtlS. Returns [previous owner value or '', new epoch].
const CLAIM = `
local prev = redis.call('GET', KEYS[1]) or ''
local epoch = redis.call('INCR', KEYS[2])
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[3]))
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. epoch, 'PX', tonumber(ARGV[2]))
return {prev, epoch}`;

// KEYS: owner. ARGV: value, ttlMs. 1: renewed; 2: written again (it had vanished); else the other owner's value.
const RENEW = `
local v = redis.call('GET', KEYS[1])
if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2])) return 1 end
if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', tonumber(ARGV[2])) return 2 end
return v`;

// KEYS: owner, epoch, orphans. ARGV: nodeId, ttlMs, epochTtlS, callId, nowMs, graceMs.
// Claims a call only if nobody owns it and it has been seen unowned for graceMs (orphans: callId → first seen unowned, ms).
// Returns the new epoch, or 0 (owned, or not orphaned long enough). SET only where no claim exists: one node wins.
const CLAIM_ORPHAN = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local since = tonumber(redis.call('HGET', KEYS[3], ARGV[4]) or '')
if not since or tonumber(ARGV[5]) - since < tonumber(ARGV[6]) then return 0 end
local epoch = redis.call('INCR', KEYS[2])
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[3]))
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. epoch, 'PX', tonumber(ARGV[2]))
redis.call('HDEL', KEYS[3], ARGV[4])
return epoch`;

// KEYS: owner. ARGV: value. Deletes the claim only if it is still this node's.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export const ownerKey = (callId: string) => `earpiece:call:${callId}:owner`;
const epochKey = (callId: string) => `earpiece:call:${callId}:epoch`;
const nodeKey = (nodeId: string) => `earpiece:node:${nodeId}`;

/** The Redis client name a node's connections carry (CLIENT SETNAME allows no spaces). */
export const clientName = (nodeId: string) => `earpiece-node:${nodeId.replace(/[^A-Za-z0-9._:@-]/g, '_')}`;

/** Parses an owner key's value "<nodeId>|<epoch>". */
export function parseOwner(value: string | null | undefined): { nodeId: string; epoch: number } | undefined {
  if (!value) return undefined;
  const bar = value.lastIndexOf('|');
  if (bar <= 0) return undefined;
  return { nodeId: value.slice(0, bar), epoch: Number(value.slice(bar + 1)) };
}

export class CallOwnership {
  /** Calls this node owns → the owner value it wrote. */
  private readonly owned = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private renewing = false;

  constructor(private readonly options: CallOwnershipOptions) {}

  get nodeId(): string {
    return this.options.nodeId;
  }

  /** Starts the heartbeat and renewal loop (the first heartbeat is written before this resolves). */
  async start(): Promise<void> {
    await this.heartbeat();
    this.timer = setInterval(() => void this.renewAll(), Math.max(50, Math.floor(this.options.ttlMs / 3)));
    this.timer.unref();
  }

  /** Claims the call for this node; returns the previous owner (undefined: none) and the new fencing epoch. */
  async claim(callId: string): Promise<{ previous: { nodeId: string; epoch: number } | undefined; epoch: number }> {
    const [prev, epoch] = (await this.options.redis.eval(CLAIM, 2, ownerKey(callId), epochKey(callId), this.nodeId, this.options.ttlMs, EPOCH_TTL_S)) as [string, number];
    this.owned.set(callId, `${this.nodeId}|${epoch}`);
    return { previous: parseOwner(prev), epoch: Number(epoch) };
  }

  /**
   * Claims a call whose owner is gone (no claim in Redis) and that `orphansKey` has marked unowned
   * since at least graceMs before nowMs; of several nodes trying at once, exactly one gets it.
   * Returns the new fencing epoch, or undefined when the call is owned or not orphaned long enough.
   */
  async claimOrphan(callId: string, orphansKey: string, nowMs: number, graceMs: number): Promise<number | undefined> {
    const epoch = Number(await this.options.redis.eval(CLAIM_ORPHAN, 3, ownerKey(callId), epochKey(callId), orphansKey, this.nodeId, this.options.ttlMs, EPOCH_TTL_S, callId, nowMs, graceMs));
    if (!epoch) return undefined;
    this.owned.set(callId, `${this.nodeId}|${epoch}`);
    return epoch;
  }

  /** Takes a call without a claim in Redis (Redis out of reach); the renewal loop writes the claim once Redis answers. */
  assume(callId: string): void {
    this.owned.set(callId, `${this.nodeId}|0`);
  }

  /** True while this node holds the call's claim (as far as it knows locally). */
  holds(callId: string): boolean {
    return this.owned.has(callId);
  }

  /** Asks Redis whether this node still owns the call (a missing claim counts as still ours). */
  async stillOwner(callId: string): Promise<boolean> {
    const mine = this.owned.get(callId);
    if (!mine) return false;
    const value = await this.options.redis.get(ownerKey(callId));
    return value === null || value === mine;
  }

  /** The node owning the call now, or undefined. */
  async ownerOf(callId: string): Promise<string | undefined> {
    return parseOwner(await this.options.redis.get(ownerKey(callId)))?.nodeId;
  }

  /** The owners of several calls at once (undefined where none). */
  async ownersOf(callIds: string[]): Promise<Array<string | undefined>> {
    if (callIds.length === 0) return [];
    const values = await this.options.redis.mget(...callIds.map(ownerKey));
    return values.map((v) => parseOwner(v)?.nodeId);
  }

  /**
   * Whether a node is running: connected to Redis (its connections carry its name; a killed
   * process's connections close at once, so a node killed a moment ago is known gone, while a slow
   * one still counts as running). Where Redis does not list its clients, its heartbeat decides.
   */
  async nodeAlive(nodeId: string): Promise<boolean> {
    let clients: string;
    try {
      clients = String(await this.options.redis.client('LIST'));
    } catch {
      return (await this.options.redis.exists(nodeKey(nodeId))) === 1; // CLIENT LIST refused (some managed Redis)
    }
    return clients.includes(` name=${clientName(nodeId)} `);
  }

  /** Whether any other node is connected to Redis now (false where Redis does not list its clients). */
  async otherNodesConnected(): Promise<boolean> {
    const mine = clientName(this.nodeId);
    const clients = String(await this.options.redis.client('LIST'));
    return clients.split('\n').some((line) => {
      const name = / name=(earpiece-node:\S+) /.exec(line)?.[1];
      return name !== undefined && name !== mine;
    });
  }

  /** The call ended here: give up the claim. */
  async release(callId: string): Promise<void> {
    const mine = this.owned.get(callId);
    this.owned.delete(callId);
    if (mine) await this.options.redis.eval(RELEASE, 1, ownerKey(callId), mine);
  }

  /** Forgets a claim locally (the call was taken over). */
  forget(callId: string): void {
    this.owned.delete(callId);
  }

  /** Stops renewing; the claims lapse after ttlMs (a stopped node's calls are free to take over). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.options.redis.del(nodeKey(this.nodeId)).catch(() => undefined);
  }

  private heartbeat(): Promise<unknown> {
    return this.options.redis.set(nodeKey(this.nodeId), '1', 'PX', this.options.ttlMs);
  }

  private async renewAll(): Promise<void> {
    if (this.renewing) return;
    this.renewing = true;
    try {
      const entries = [...this.owned];
      const pipeline = this.options.redis.pipeline();
      pipeline.set(nodeKey(this.nodeId), '1', 'PX', this.options.ttlMs);
      for (const [callId, mine] of entries) pipeline.eval(RENEW, 1, ownerKey(callId), mine, this.options.ttlMs);
      const results = (await pipeline.exec()) ?? [];
      entries.forEach(([callId, mine], i) => {
        const [err, result] = results[i + 1] ?? [];
        if (err || result === 1 || result === 2) return;
        if (this.owned.get(callId) !== mine) return; // released or re-claimed meanwhile
        const holder = parseOwner(String(result));
        // This node's own claim under another epoch (a claim that timed out here but was written later): keep it.
        if (holder?.nodeId === this.nodeId) return void this.owned.set(callId, String(result));
        this.owned.delete(callId);
        this.options.onLost(callId, holder?.nodeId ?? String(result));
      });
    } catch (err) {
      this.options.onError?.(err as Error);
    } finally {
      this.renewing = false;
    }
  }
}
