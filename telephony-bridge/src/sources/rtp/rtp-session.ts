/**
 * One received RTP stream (one SDP m-line): binds an RTP/RTCP port pair from the pool, parses and
 * checks each datagram, decodes PCMU/PCMA, puts packets in order through the jitter buffer and
 * emits `audio` (8 kHz PCM on a continuous clock, gaps concealed), `dtmf` (RFC 4733, once per
 * event) and `timeout` (no RTP for `mediaTimeoutMs` while not on hold, once). Garbage, packets
 * from sources not allowed and unknown payload types are dropped and counted, never thrown; RTCP
 * (on port+1, or muxed on the RTP port) is read and counted. `close()` flushes what is held first.
 */
import type { RemoteInfo, Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { BridgeError } from '../../core/errors.ts';
import { silentLogger, type BridgeLogger } from '../../core/logger.ts';
import { SafeEmitter } from '../../core/safe-emitter.ts';
import { DtmfTracker, type DtmfDigitEvent } from './dtmf.ts';
import { decodeG711 } from './g711.ts';
import { JitterBuffer, type JitterFrame } from './jitter-buffer.ts';
import { looksLikeRtcp, parseRtpPacket, type RtpPacket } from './rtp-packet.ts';
import { closeQuietly, type RtpPortPool } from './rtp-port-pool.ts';

export type RtpPayloadMap = Record<number, { codec: 'PCMU' | 'PCMA' | 'telephone-event'; clockRateHz: number }>;

export interface RtpSessionOptions {
  pool: RtpPortPool;
  payloadTypes: RtpPayloadMap;
  /** How long the jitter buffer waits for a missing packet. Default 60. */
  jitterDelayMs?: number;
  /** No RTP for this long (while not on hold) => 'timeout'. Default 30000. */
  mediaTimeoutMs?: number;
  /** Source IPs allowed to send (IPv4-mapped IPv6 is matched as IPv4); others are dropped and counted. */
  allowedSources?: string[];
  logger?: BridgeLogger;
  /** For logs (e.g. the call id and stream label). */
  name?: string;
}

export interface RtpSessionEvents {
  audio: [pcm: Int16Array, offsetSamples: number];
  dtmf: [digit: string, offsetMs: number, durationMs: number];
  timeout: [];
}

export interface RtpSessionStats {
  /** Well-formed RTP packets taken (audio and telephone-event), duplicates and late ones included. */
  packetsReceived: number;
  /** Sequence numbers given up after the jitter delay (concealed). */
  packetsLost: number;
  packetsLate: number;
  packetsDuplicate: number;
  /** Malformed datagrams, disallowed sources, unknown payload types (see rejectReasons). */
  packetsRejected: number;
  ssrcChanges: number;
  jitterDelayMs: { p50: number | null; p95: number | null };
  rejectReasons: Record<string, number>;
  rtcpPackets: number;
  dtmfEvents: number;
  /** Sequence restarts within one SSRC, and timestamps not trusted (re-anchored). */
  resyncs: number;
  timestampJumps: number;
  concealedSamples: number;
}

const OUTPUT_RATE_HZ = 8000;

const normalizeIp = (ip: string): string => ip.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1').toLowerCase();

export class RtpSession extends SafeEmitter<RtpSessionEvents> {
  readonly port: number;
  readonly #pool: RtpPortPool;
  readonly #rtp: Socket;
  readonly #rtcp: Socket;
  readonly #logger: BridgeLogger;
  readonly #name: string;
  readonly #mediaTimeoutMs: number;
  readonly #allowed: Set<string> | null;
  readonly #jitter: JitterBuffer;
  readonly #dtmf = new DtmfTracker(OUTPUT_RATE_HZ);
  #payloadTypes: RtpPayloadMap;
  #held = false;
  #timedOut = false;
  #closing: Promise<void> | null = null;
  #lastMediaAt = performance.now();
  #jitterTimer: NodeJS.Timeout | null = null;
  #mediaTimer: NodeJS.Timeout | null = null;
  #received = 0;
  #rejected = 0;
  #rtcpPackets = 0;
  #dtmfEvents = 0;
  readonly #rejectReasons: Record<string, number> = {};

  /** Binds a port pair from the pool and starts receiving. */
  static async open(options: RtpSessionOptions): Promise<RtpSession> {
    const pair = await options.pool.acquire();
    return new RtpSession(options, pair.port, pair.rtp, pair.rtcp);
  }

  private constructor(options: RtpSessionOptions, port: number, rtp: Socket, rtcp: Socket) {
    const logger = options.logger ?? silentLogger;
    super(logger);
    this.port = port;
    this.#pool = options.pool;
    this.#rtp = rtp;
    this.#rtcp = rtcp;
    this.#logger = logger;
    this.#name = options.name ?? `rtp:${port}`;
    this.#payloadTypes = { ...options.payloadTypes };
    this.#mediaTimeoutMs = options.mediaTimeoutMs ?? 30_000;
    this.#allowed = options.allowedSources?.length ? new Set(options.allowedSources.map(normalizeIp)) : null;
    this.#jitter = new JitterBuffer({ jitterDelayMs: options.jitterDelayMs ?? 60, clockRateHz: OUTPUT_RATE_HZ });
    rtp.on('message', this.#onRtp);
    rtcp.on('message', this.#onRtcp);
    for (const s of [rtp, rtcp]) s.on('error', (err) => this.#logger.warn({ stream: this.#name, err: err.message }, 'RTP socket error'));
    this.#armMediaTimer();
    this.#logger.debug({ stream: this.#name, port }, 'RTP session open');
  }

  /** The RTCP port (RTP port + 1). */
  get rtcpPort(): number {
    return this.port + 1;
  }

  get closed(): boolean {
    return this.#closing !== null;
  }

  /** Replaces the payload type map (a re-INVITE may renumber or change codecs). */
  setPayloadTypes(map: RtpPayloadMap): void {
    this.#payloadTypes = { ...map };
  }

  /** On hold no media timeout fires; on resume the timeout counts from now. */
  setHeld(held: boolean): void {
    this.#held = held;
    if (!held) {
      this.#lastMediaAt = performance.now();
      this.#armMediaTimer();
    }
  }

  get stats(): RtpSessionStats {
    const j = this.#jitter.stats;
    return {
      packetsReceived: this.#received,
      packetsLost: j.lost,
      packetsLate: j.late,
      packetsDuplicate: j.duplicate,
      packetsRejected: this.#rejected,
      ssrcChanges: j.ssrcChanges,
      jitterDelayMs: this.#jitter.delayPercentiles(),
      rejectReasons: { ...this.#rejectReasons },
      rtcpPackets: this.#rtcpPackets,
      dtmfEvents: this.#dtmfEvents,
      resyncs: j.resyncs,
      timestampJumps: j.timestampJumps,
      concealedSamples: j.concealedSamples,
    };
  }

  /** Flushes what the jitter buffer holds (emits it), closes both sockets, returns the port. Idempotent. */
  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    this.#rtp.off('message', this.#onRtp);
    this.#rtcp.off('message', this.#onRtcp);
    this.#clearTimers();
    this.#closing = (async () => {
      await null; // so a listener calling close() again during the flush gets this same promise
      this.#emitFrames(this.#jitter.flush());
      this.#emitDigits(this.#dtmf.flush());
      await Promise.all([closeQuietly(this.#rtp), closeQuietly(this.#rtcp)]);
      this.#pool.release(this.port);
      const { jitterDelayMs, rejectReasons, ...counts } = this.stats;
      this.#logger.info({ stream: this.#name, port: this.port, ...counts, jitterP95Ms: jitterDelayMs.p95 }, 'RTP session closed');
    })();
    return this.#closing;
  }

  readonly #onRtcp = (): void => {
    this.#rtcpPackets++;
  };

  readonly #onRtp = (msg: Buffer, rinfo: RemoteInfo): void => {
    if (this.#allowed && !this.#allowed.has(normalizeIp(rinfo.address))) return this.#reject('source-not-allowed', rinfo);
    if (looksLikeRtcp(msg)) {
      this.#rtcpPackets++;
      return;
    }
    let packet: RtpPacket;
    try {
      packet = parseRtpPacket(msg);
    } catch (err) {
      return this.#reject(err instanceof BridgeError ? err.code : 'malformed', rinfo);
    }
    this.#lastMediaAt = performance.now();
    const now = this.#lastMediaAt;
    const { ssrc, sequenceNumber, timestamp, payload } = packet;
    const pt = this.#payloadTypes[packet.payloadType];
    if (!pt) {
      // Still takes its sequence number (e.g. comfort noise), so it is not mistaken for a loss.
      if (this.#jitter.offsetOf(ssrc, timestamp) !== null) this.#emitFrames(this.#jitter.push({ ssrc, sequenceNumber, timestamp, pcm: null }, now));
      this.#reject(`payload-type-${packet.payloadType}`, rinfo);
      return this.#scheduleJitter();
    }
    this.#received++;
    if (pt.codec === 'telephone-event') {
      this.#emitFrames(this.#jitter.push({ ssrc, sequenceNumber, timestamp, pcm: null }, now));
      try {
        this.#emitDigits(this.#dtmf.push(ssrc, timestamp, payload), pt.clockRateHz);
      } catch (err) {
        this.#reject(err instanceof BridgeError ? err.code : 'bad-dtmf', rinfo);
      }
    } else {
      this.#emitFrames(this.#jitter.push({ ssrc, sequenceNumber, timestamp, pcm: decodeG711(pt.codec, payload) }, now));
    }
    this.#scheduleJitter();
  };

  #reject(reason: string, rinfo: RemoteInfo): void {
    this.#rejected++;
    const n = (this.#rejectReasons[reason] = (this.#rejectReasons[reason] ?? 0) + 1);
    if (n === 1 || n % 1000 === 0) {
      this.#logger.warn({ stream: this.#name, reason, from: `${rinfo.address}:${rinfo.port}`, count: n }, 'RTP datagram dropped');
    }
  }

  #emitFrames(frames: JitterFrame[]): void {
    for (const f of frames) this.emit('audio', f.pcm, f.offsetSamples);
  }

  #emitDigits(digits: DtmfDigitEvent[], clockRateHz = OUTPUT_RATE_HZ): void {
    for (const d of digits) {
      this.#dtmfEvents++;
      const offset = this.#jitter.offsetOf(d.ssrc, d.timestamp) ?? this.#jitter.endOffset;
      const durationMs = (d.durationMs * OUTPUT_RATE_HZ) / clockRateHz;
      this.emit('dtmf', d.digit, (offset / OUTPUT_RATE_HZ) * 1000, durationMs);
    }
  }

  #scheduleJitter(): void {
    if (this.#jitterTimer) clearTimeout(this.#jitterTimer);
    this.#jitterTimer = null;
    const deadline = this.#jitter.nextDeadline();
    if (deadline === null || this.#closing) return;
    this.#jitterTimer = setTimeout(
      () => {
        this.#jitterTimer = null;
        this.#emitFrames(this.#jitter.poll(performance.now()));
        this.#scheduleJitter();
      },
      Math.max(1, Math.ceil(deadline - performance.now())),
    );
  }

  #armMediaTimer(): void {
    if (this.#mediaTimer) clearTimeout(this.#mediaTimer);
    this.#mediaTimer = null;
    if (this.#held || this.#timedOut || this.#closing) return;
    const due = this.#lastMediaAt + this.#mediaTimeoutMs;
    this.#mediaTimer = setTimeout(
      () => {
        this.#mediaTimer = null;
        if (this.#held || this.#closing) return;
        if (performance.now() - this.#lastMediaAt < this.#mediaTimeoutMs) return this.#armMediaTimer();
        this.#timedOut = true;
        this.#logger.info({ stream: this.#name, port: this.port, timeoutMs: this.#mediaTimeoutMs }, 'RTP media timeout');
        this.emit('timeout');
      },
      Math.max(1, Math.ceil(due - performance.now())),
    );
  }

  #clearTimers(): void {
    if (this.#jitterTimer) clearTimeout(this.#jitterTimer);
    if (this.#mediaTimer) clearTimeout(this.#mediaTimer);
    this.#jitterTimer = this.#mediaTimer = null;
  }
}
