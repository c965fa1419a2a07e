/**
 * Streams one call to assist-server's ingest WebSocket (protocol: @earpiece/assist-server/protocol).
 *
 *   connect() → `call.start` → waits for `call.accepted` (or rejects with the server's `error`)
 *   sendAudio(role, pcm) → binary frame, per-leg seq from 0, offsetSamples on the leg's clock
 *   stop(reason) → `call.stop` → resolves on `call.stopped`
 *
 * Every frame stays in its leg's ResendBuffer until the server acknowledges it. When the socket
 * drops, the client reconnects with capped exponential backoff, sends the same `call.start` and
 * resends, in order, every frame from the `nextSeq` the server names in `call.accepted`.
 * With several servers (`serverUrl` a comma-separated list of assist-server nodes) a new call goes
 * to the first that accepts it (one refusing with a retryable error, e.g. at capacity, or out of
 * reach, passes it to the next), and a dropped call reconnects to the next node in the list at
 * once (the node it was on may be dead): that node takes the call over and names its `nextSeq`.
 * Whoever creates the client closes it: close() is idempotent and leaves no timer or socket.
 */
import {
  IngestErrorCode,
  MAX_AUDIO_FRAME_PAYLOAD_BYTES,
  encodeAudioFrame,
  type CallDtmfMessage,
  type CallHoldMessage,
  type CallStartMessage,
  type LegRole,
} from '@earpiece/assist-server/protocol';
import { deferred, WaiterSet, type Deferred } from '../core/deferred.ts';
import { BridgeError } from '../core/errors.ts';
import { silentLogger, type BridgeLogger } from '../core/logger.ts';
import { SafeEmitter } from '../core/safe-emitter.ts';
import { buildCallStart, type IngestClientEvents, type IngestClientOptions, type IngestClientState, type IngestClientStats, type StopReason } from './ingest-client-types.ts';
import { IngestConnection, type ConnectionHandlers } from './ingest-connection.ts';
import { ingestUrls } from './ingest-url.ts';
import { Leg } from './leg.ts';
import { DEFAULT_RECONNECT_POLICY, reconnectDelayMs, type ReconnectPolicy } from './reconnect-policy.ts';
import { ResendBuffer, type BufferedFrame } from './resend-buffer.ts';

export * from './ingest-client-types.ts';

export const MIN_BUFFERED_MS = 60_000;
/** Call events held while disconnected; DTMF bursts are short, so this is generous. */
export const MAX_PENDING_EVENTS = 256;

/** What a source reports besides audio (the callId is filled in by the client). */
export type IngestCallEvent = DistributiveOmit<CallDtmfMessage, 'callId'> | Omit<CallHoldMessage, 'callId'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export class IngestClient extends SafeEmitter<IngestClientEvents> {
  readonly callId: string;
  /** The assist-server ingest URLs, in order of preference. */
  readonly urls: readonly string[];
  #urlIndex = 0;
  /** Nodes tried for the first acceptance (a refusal or failure moves to the next, once round the list). */
  #nodesTried = 1;
  #start: CallStartMessage;
  #opts: { connectTimeoutMs: number; stopTimeoutMs: number; highWaterBytes: number; reconnect: Required<ReconnectPolicy> };
  #log: BridgeLogger;
  #legs = new Map<LegRole, Leg>();
  #state: IngestClientState = 'idle';
  #conn: IngestConnection | undefined;
  #everAccepted = false;
  #attempt = 0;
  #reconnects = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #stopTimer: NodeJS.Timeout | undefined;
  #connect: { promise: Promise<void>; waiter: Deferred | undefined } | undefined;
  #stop: { promise: Promise<void>; waiter: Deferred | undefined; reason: StopReason } | undefined;
  #closePromise: Promise<void> | undefined;
  #failure: BridgeError | undefined;
  #capacityWaiters = new WaiterSet();
  #closingSockets = new Set<Promise<void>>();
  /** Call events (DTMF, hold) waiting for a connection, oldest first. */
  #pendingEvents: IngestCallEvent[] = [];

  constructor(options: IngestClientOptions) {
    const log = options.logger ?? silentLogger;
    super(log);
    this.#log = log;
    this.urls = ingestUrls(options.serverUrl);
    this.#start = buildCallStart(options.call);
    this.callId = this.#start.callId;
    const maxBufferedMs = Math.max(MIN_BUFFERED_MS, options.maxBufferedMs ?? MIN_BUFFERED_MS);
    for (const { role, sampleRateHz } of this.#start.legs) {
      this.#legs.set(role, new Leg(role, sampleRateHz, new ResendBuffer(Math.ceil((sampleRateHz * maxBufferedMs) / 1000))));
    }
    this.#opts = {
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      stopTimeoutMs: options.stopTimeoutMs ?? 30_000,
      highWaterBytes: options.highWaterBytes ?? 1 << 20,
      reconnect: { ...DEFAULT_RECONNECT_POLICY, ...options.reconnect },
    };
  }

  /** The ingest URL of the node this call is on (or being connected to). */
  get url(): string {
    return this.urls[this.#urlIndex]!;
  }

  get state(): IngestClientState {
    return this.#state;
  }

  get stats(): IngestClientStats {
    const legs: IngestClientStats['legs'] = {};
    for (const leg of this.#legs.values()) legs[leg.role] = leg.stats();
    return { reconnects: this.#reconnects, legs };
  }

  /** Opens the connection and resolves once the server accepts the call. */
  connect(): Promise<void> {
    const unusable = this.#unusable('connect');
    if (unusable) return Promise.reject(unusable);
    if (this.#connect) return this.#connect.promise;
    this.#connect = deferred();
    this.#open();
    return this.#connect.promise;
  }

  /**
   * Queues one leg's PCM as the next frame (seq + 1) and sends it when connected. `offsetSamples`
   * defaults to the end of the leg's previous frame; pass it to mark a gap (lost packets).
   */
  sendAudio(role: LegRole, pcm: Int16Array, offsetSamples?: number): { seq: number; offsetSamples: number } {
    const unusable = this.#unusable('sendAudio');
    if (unusable) throw unusable;
    if (this.#stop) throw new BridgeError('EARPIECE_BRIDGE_INGEST_STOPPING', `call ${this.callId} is stopping; no more audio can be sent`);
    const leg = this.#legs.get(role);
    if (!leg) throw new BridgeError('EARPIECE_BRIDGE_UNKNOWN_LEG', `leg ${role} was not declared for call ${this.callId}; declare it in call.legs`);
    if (pcm.length === 0) throw new BridgeError('EARPIECE_BRIDGE_EMPTY_FRAME', 'an audio frame needs at least one sample');
    if (pcm.length * 2 > MAX_AUDIO_FRAME_PAYLOAD_BYTES) {
      throw new BridgeError('EARPIECE_BRIDGE_FRAME_TOO_LARGE', `${pcm.length} samples exceed one frame (${MAX_AUDIO_FRAME_PAYLOAD_BYTES / 2}); send 20 ms frames`);
    }
    const offset = offsetSamples ?? leg.clockSamples;
    const seq = leg.nextSeq++;
    leg.clockSamples = offset + pcm.length;
    const frame: BufferedFrame = { seq, offsetSamples: offset, samples: pcm.length, bytes: encodeAudioFrame({ role, seq, offsetSamples: offset, pcm }) };
    const dropped = leg.buffer.push(frame);
    if (dropped > 0 && leg.buffer.dropped === dropped) {
      this.#log.warn({ callId: this.callId, role, maxSamples: leg.buffer.maxSamples }, 'resend buffer full: dropping the oldest unacknowledged frames');
    }
    if (this.#state === 'open') this.#write(leg, frame);
    return { seq, offsetSamples: offset };
  }

  /**
   * Sends a call event (keypad digit, hold/resume). Sent at once when connected; while
   * reconnecting it waits (at most MAX_PENDING_EVENTS, oldest dropped) and goes after the resent
   * audio, so it lands in order with the audio it belongs to.
   */
  sendEvent(event: IngestCallEvent): void {
    const unusable = this.#unusable('sendEvent');
    if (unusable) throw unusable;
    const message = { ...event, callId: this.callId };
    if (this.#state === 'open') return void this.#conn?.sendControl(message);
    this.#pendingEvents.push(event);
    if (this.#pendingEvents.length > MAX_PENDING_EVENTS) this.#pendingEvents.shift();
  }

  /** True while more audio may be queued without growing buffers past their marks (see waitForCapacity). */
  get hasCapacity(): boolean {
    return this.#hasCapacity();
  }

  /**
   * Resolves when more audio may be queued without loss: connected, the socket below its
   * high-water mark and every leg's resend buffer at most three quarters full. For sources that can wait
   * (file replay at full speed); live sources just send.
   */
  waitForCapacity(): Promise<void> {
    if (this.#hasCapacity()) return Promise.resolve();
    const unusable = this.#unusable('waitForCapacity');
    if (unusable) return Promise.reject(unusable);
    return this.#capacityWaiters.wait();
  }

  /** Sends `call.stop` (after any resend) and resolves on `call.stopped`. */
  stop(reason: StopReason = 'hangup'): Promise<void> {
    if (this.#stop) return this.#stop.promise;
    if (this.#state === 'idle') return Promise.reject(new BridgeError('EARPIECE_BRIDGE_INGEST_NOT_CONNECTED', 'stop() before connect(): nothing to stop'));
    const unusable = this.#unusable('stop');
    if (unusable) return Promise.reject(unusable);
    this.#stop = { ...deferred(), reason };
    this.#stopTimer = setTimeout(() => {
      this.#stopTimer = undefined;
      const ms = this.#opts.stopTimeoutMs;
      this.#settleStop(new BridgeError('EARPIECE_BRIDGE_INGEST_STOP_TIMEOUT', `assist-server did not confirm call.stop for ${this.callId} within ${ms} ms`, { retryable: true }));
    }, this.#opts.stopTimeoutMs);
    if (this.#state === 'open') this.#conn?.sendControl({ type: 'call.stop', callId: this.callId, reason });
    return this.#stop.promise;
  }

  /** Closes the socket, clears every timer and rejects anything pending. Idempotent. */
  close(): Promise<void> {
    if (this.#closePromise) return this.#closePromise;
    const closed = new BridgeError('EARPIECE_BRIDGE_INGEST_CLOSED', `ingest client for call ${this.callId} was closed`);
    if (this.#state !== 'stopped' && this.#state !== 'failed') this.#state = 'closed';
    this.#clearTimers();
    this.#settleConnect(closed);
    this.#settleStop(closed);
    this.#capacityWaiters.rejectAll(this.#failure ?? closed);
    this.#dropConnection();
    this.#closePromise = Promise.all([...this.#closingSockets]).then(() => {
      for (const leg of this.#legs.values()) leg.buffer.clear();
      this.removeAllListeners();
    });
    return this.#closePromise;
  }

  #open(): void {
    this.#state = this.#everAccepted ? 'reconnecting' : 'connecting';
    const handlers: ConnectionHandlers = {
      accepted: (nextSeq) => this.#onAccepted(nextSeq),
      ack: (role, seq) => {
        this.#legs.get(role)?.onAck(seq);
        this.#notifyCapacity();
      },
      stopped: () => this.#onStopped(),
      serverError: (err) => {
        this.#log.warn({ callId: this.callId, code: err.code, retryable: err.retryable }, 'ingest server reported an error');
        this.emit('error', err);
      },
      closed: (info) => this.#onClosed(info),
      flushed: () => this.#notifyCapacity(),
    };
    this.#conn = new IngestConnection(this.url, this.#start, this.#opts.connectTimeoutMs, handlers, this.#log);
  }

  #onAccepted(nextSeq: Record<string, number>): void {
    const resumed = this.#everAccepted;
    const attempt = this.#attempt;
    this.#everAccepted = true;
    this.#state = 'open';
    this.#attempt = 0;
    const pending: Array<{ leg: Leg; frame: BufferedFrame }> = [];
    for (const leg of this.#legs.values()) for (const frame of leg.onAccepted(nextSeq[leg.role] ?? 0)) pending.push({ leg, frame });
    // Both legs interleaved by time; each leg stays in seq order (the sort is stable).
    pending.sort((a, b) => a.frame.offsetSamples / a.leg.sampleRateHz - b.frame.offsetSamples / b.leg.sampleRateHz);
    let resentFrames = 0;
    for (const { leg, frame } of pending) if (this.#write(leg, frame)) resentFrames++;
    for (const event of this.#pendingEvents.splice(0)) this.#conn?.sendControl({ ...event, callId: this.callId });
    this.#log.info({ callId: this.callId, attempt, resumed, resentFrames, queuedFrames: pending.length }, resumed ? 'reconnected to assist-server' : 'call accepted by assist-server');
    this.emit('connected', { attempt, resumed, nextSeq: { ...nextSeq }, resentFrames });
    this.#settleConnect();
    if (this.#stop) this.#conn?.sendControl({ type: 'call.stop', callId: this.callId, reason: this.#stop.reason });
    this.#notifyCapacity();
  }

  #onStopped(): void {
    this.#state = 'stopped';
    const legs = [...this.#legs.values()].map((l) => l.stats());
    this.#log.info({ callId: this.callId, framesSent: legs.reduce((n, s) => n + s.framesSent, 0), framesDropped: legs.reduce((n, s) => n + s.dropped, 0), reconnects: this.#reconnects }, 'call stopped');
    this.#clearTimers();
    this.#settleStop();
    this.#capacityWaiters.rejectAll(this.#unusable('waitForCapacity')!);
    this.#dropConnection();
  }

  #onClosed({ code, reason, refusal, error }: { code: number; reason: string; refusal?: BridgeError; error?: Error }): void {
    this.#conn = undefined;
    if (this.#state === 'stopped' || this.#state === 'closed' || this.#state === 'failed') return;
    if (refusal && this.#stop && refusal.code === IngestErrorCode.CallEnded) return this.#onStopped(); // our call.stop got through before the drop
    const why = refusal ?? error;
    if (!this.#everAccepted && (!refusal || refusal.retryable) && this.#nodesTried < this.urls.length) {
      this.#log.warn({ callId: this.callId, url: this.url, code: refusal?.code, err: why?.message }, 'assist-server node did not take the call; trying the next');
      this.#nodesTried++;
      this.#urlIndex = (this.#urlIndex + 1) % this.urls.length;
      return this.#open();
    }
    if (!this.#everAccepted) {
      const msg = `cannot open call ${this.callId} on ${this.urls.join(', ')}: ${why?.message ?? `closed (${code})`}. Is assist-server running and is --server right?`;
      return this.#fail(refusal ?? new BridgeError('EARPIECE_BRIDGE_INGEST_UNREACHABLE', msg, { retryable: true, cause: why }), false);
    }
    if (refusal && !refusal.retryable) return this.#fail(refusal, true);
    this.#attempt++;
    this.#reconnects++;
    const { maxAttempts } = this.#opts.reconnect;
    if (this.#attempt > maxAttempts) {
      const msg = `lost call ${this.callId}: ${maxAttempts} reconnects to ${this.urls.join(', ')} failed (${why?.message ?? `close ${code}`})`;
      return this.#fail(new BridgeError('EARPIECE_BRIDGE_INGEST_UNREACHABLE', msg, { retryable: true, cause: why }), true);
    }
    // Several nodes: move on along the list, the first time at once (the node may be dead; another takes the call over).
    const failover = this.urls.length > 1;
    if (failover) this.#urlIndex = (this.#urlIndex + 1) % this.urls.length;
    const delayMs = failover && this.#attempt === 1 ? 0 : reconnectDelayMs(this.#attempt, this.#opts.reconnect);
    this.#state = 'reconnecting';
    this.#log.warn({ callId: this.callId, attempt: this.#attempt, delayMs, closeCode: code, url: this.url }, 'ingest connection lost; reconnecting');
    this.emit('reconnecting', { attempt: this.#attempt, delayMs, closeCode: code, reason: why?.message ?? (reason || `close ${code}`) });
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#open();
    }, delayMs);
  }

  /** Writes a frame on the open connection; returns true when it was a resend. */
  #write(leg: Leg, frame: BufferedFrame): boolean {
    return this.#conn?.send(frame.bytes) === true && leg.markWritten(frame.seq);
  }

  #hasCapacity(): boolean {
    if (this.#state !== 'open' || !this.#conn || this.#conn.unflushedBytes > this.#opts.highWaterBytes) return false;
    // Unacknowledged audio up to 3/4 of the buffer: the server acknowledges audio once it is settled
    // (at most 40 s behind), so waiting at half the 60 s buffer could stall a long utterance.
    for (const leg of this.#legs.values()) if (leg.buffer.samples * 4 > leg.buffer.maxSamples * 3) return false;
    return true;
  }

  #notifyCapacity(): void {
    if (this.#capacityWaiters.size > 0 && this.#hasCapacity()) this.#capacityWaiters.resolveAll();
  }

  #fail(err: BridgeError, emit: boolean): void {
    this.#state = 'failed';
    this.#failure = err;
    this.#clearTimers();
    this.#log.error({ callId: this.callId, code: err.code }, err.message);
    this.#settleConnect(err);
    this.#settleStop(err);
    this.#capacityWaiters.rejectAll(err);
    this.#dropConnection();
    if (emit) this.emit('error', Object.assign(err, { fatal: true }));
  }

  #settleConnect(err?: Error): void {
    const waiter = this.#connect?.waiter;
    if (this.#connect) this.#connect.waiter = undefined;
    if (err) waiter?.reject(err);
    else waiter?.resolve();
  }

  #settleStop(err?: Error): void {
    if (this.#stopTimer) clearTimeout(this.#stopTimer), (this.#stopTimer = undefined);
    const waiter = this.#stop?.waiter;
    if (this.#stop) this.#stop.waiter = undefined;
    if (err) waiter?.reject(err);
    else waiter?.resolve();
  }

  #dropConnection(): void {
    const conn = this.#conn;
    this.#conn = undefined;
    if (!conn) return;
    const closing = conn.close();
    this.#closingSockets.add(closing);
    void closing.then(() => this.#closingSockets.delete(closing));
  }

  #clearTimers(): void {
    for (const t of [this.#retryTimer, this.#stopTimer]) if (t) clearTimeout(t);
    this.#retryTimer = this.#stopTimer = undefined;
  }

  #unusable(what: string): BridgeError | undefined {
    if (this.#failure) return this.#failure;
    if (this.#state === 'closed' || this.#state === 'stopped') {
      return new BridgeError('EARPIECE_BRIDGE_INGEST_CLOSED', `${what}: the ingest client for call ${this.callId} is ${this.#state}`);
    }
    return undefined;
  }
}
