/**
 * One AudioSocket TCP connection = one channel = one leg of a call. Parses frames, checks the
 * shared secret, learns the UUID and the audio rate, holds audio and digits until its call is
 * open, then hands them on in order. Ends on a hangup frame, a socket close or a protocol fault;
 * whatever was received before is handed on first.
 */
import type { Socket } from 'node:net';
import type { LegRole } from '@earpiece/assist-server/protocol';
import { MAX_SAMPLE_RATE_HZ } from '@earpiece/assist-server/protocol';
import { Resampler } from '@earpiece/assist-server/audio';
import type { BridgeCall } from '../../core/call-sink.ts';
import { BridgeError } from '../../core/errors.ts';
import type { BridgeLogger } from '../../core/logger.ts';
import { FlowGate } from '../../core/flow-gate.ts';
import { AudioSocketParser, encodeError, type AudioSocketFrame, type ParserOptions } from './framing.ts';
import { secretMatches } from '../../core/shared-secret.ts';
import type { LegIdentity } from './pairing.ts';

/** Byte 0 of the error frames we send (the EARPIECE_* code follows as ASCII). */
export const AUDIOSOCKET_REFUSAL = { protocol: 0x10, auth: 0x11, pairing: 0x12, capacity: 0x13, unavailable: 0x14 } as const;
export type LegEndReason = 'hangup' | 'error' | 'shutdown';

export interface LegHost {
  /** The UUID arrived (and the secret, when one is required). */
  identified(leg: AudioSocketLeg): void;
  /** The first audio frame arrived: the leg's rate is known. */
  ready(leg: AudioSocketLeg): void;
  ended(leg: AudioSocketLeg): void;
}

export interface LegOptions extends ParserOptions {
  secret?: string | undefined;
  /** Audio and digits held per leg while its call is not open yet; past it the socket is paused. */
  maxPendingBytes: number;
  logger: BridgeLogger;
}

type Held = { type: 'audio'; pcm: Int16Array; rateHz: number } | { type: 'dtmf'; digit: string };

export class AudioSocketLeg {
  uuid: string | undefined;
  uuidBytes: Buffer | undefined;
  identity: LegIdentity | undefined;
  /** Rate of the first audio frame (capped at the ingest maximum). */
  firstRateHz: number | undefined;
  endReason: LegEndReason | undefined;
  frames = 0;
  #parser: AudioSocketParser;
  #authed: boolean;
  #call: BridgeCall | undefined;
  #role: LegRole | undefined;
  #rateHz = 0;
  #clockSamples = 0;
  #held: Held[] = [];
  #heldBytes = 0;
  #pausedForHeld = false;
  #resamplers = new Map<number, Resampler>();
  #gate: FlowGate;
  #log: BridgeLogger;

  constructor(
    readonly id: number,
    readonly socket: Socket,
    private readonly host: LegHost,
    private readonly options: LegOptions,
  ) {
    this.#parser = new AudioSocketParser(options);
    this.#authed = options.secret === undefined;
    this.#gate = new FlowGate(socket);
    this.#log = options.logger;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('end', () => this.#onEnd());
    socket.on('close', () => this.#finish(this.endReason ?? 'hangup'));
    socket.on('error', (err: NodeJS.ErrnoException) => this.#log.warn({ conn: this.id, uuid: this.uuid, code: err.code }, 'AudioSocket connection error'));
  }

  get ended(): boolean {
    return this.endReason !== undefined;
  }

  get paused(): boolean {
    return this.#gate.paused || this.#pausedForHeld;
  }

  /** The call is open: hand on what was held, then stream. */
  attach(call: BridgeCall, role: LegRole, rateHz: number): void {
    this.#call = call;
    this.#role = role;
    this.#rateHz = rateHz;
    for (const item of this.#held.splice(0)) this.#deliver(item);
    this.#heldBytes = 0;
    if (this.ended) this.#drainResamplers();
    if (this.#pausedForHeld) {
      this.#pausedForHeld = false;
      if (!this.socket.destroyed) this.socket.resume();
    }
    this.#gate.check(call);
  }

  /** Refuses the leg on the AudioSocket protocol: error frame, then close. Held audio is dropped. */
  refuse(err: BridgeError, refusal: number): void {
    this.#held = [];
    this.#log.warn({ conn: this.id, uuid: this.uuid, code: err.code }, 'AudioSocket connection refused');
    this.#closeWith(encodeError(refusal, err.code), 'error');
  }

  /** Server shutdown: stop reading; what was received is handed on by the call's end path. */
  shutdown(): void {
    this.#closeWith(undefined, 'shutdown');
  }

  #onData(chunk: Buffer): void {
    if (this.ended) return;
    const { frames, error } = this.#parser.push(chunk);
    for (const frame of frames) {
      if (this.ended) return;
      this.#onFrame(frame);
    }
    if (error && !this.ended) return this.#protocolFault(error);
    if (this.#call) this.#gate.check(this.#call);
  }

  #onFrame(frame: AudioSocketFrame): void {
    this.frames++;
    switch (frame.kind) {
      case 'auth':
        if (this.options.secret === undefined) return;
        if (!secretMatches(this.options.secret, frame.secret)) return this.#authFault('the shared secret does not match');
        this.#authed = true;
        if (this.uuid) this.host.identified(this);
        return;
      case 'uuid':
        if (this.uuid) return void (this.uuid !== frame.uuid && this.#log.warn({ conn: this.id, uuid: this.uuid }, 'second UUID on one AudioSocket ignored'));
        this.uuid = frame.uuid;
        this.uuidBytes = frame.bytes;
        if (this.#authed) this.host.identified(this);
        return;
      case 'audio':
      case 'dtmf':
        if (!this.#authed) return this.#authFault('audio arrived before the shared secret (send a 0x02 auth frame first)');
        if (!this.uuid) return this.#protocolFault(this.#error('EARPIECE_BRIDGE_AUDIOSOCKET_NO_UUID', 'media arrived before the UUID frame; the UUID must come first'));
        if (frame.kind === 'dtmf') return this.#take({ type: 'dtmf', digit: frame.digit });
        if (frame.pcm.length === 0) return;
        if (this.firstRateHz === undefined) {
          this.firstRateHz = Math.min(frame.sampleRateHz, MAX_SAMPLE_RATE_HZ);
          this.#take({ type: 'audio', pcm: frame.pcm, rateHz: frame.sampleRateHz });
          return this.host.ready(this);
        }
        return this.#take({ type: 'audio', pcm: frame.pcm, rateHz: frame.sampleRateHz });
      case 'hangup':
        return this.#closeWith(undefined, 'hangup');
      case 'error':
        // Asterisk's codes are bit flags: 0x01 caller hung up, 0x02 frame forwarding, 0x04 memory.
        this.#log.warn({ conn: this.id, uuid: this.uuid, errorCode: frame.code }, 'AudioSocket peer sent an error frame');
        return;
    }
  }

  #take(item: Held): void {
    if (this.#call) return this.#deliver(item);
    this.#held.push(item);
    this.#heldBytes += item.type === 'audio' ? item.pcm.byteLength : 1;
    if (this.#heldBytes > this.options.maxPendingBytes && !this.#pausedForHeld) {
      this.#pausedForHeld = true;
      this.socket.pause();
      this.#log.debug({ conn: this.id, uuid: this.uuid, heldBytes: this.#heldBytes }, 'AudioSocket paused until its call opens');
    }
  }

  #deliver(item: Held): void {
    const call = this.#call!;
    const role = this.#role!;
    if (item.type === 'dtmf') return call.dtmf(role, item.digit, (this.#clockSamples / this.#rateHz) * 1000);
    let pcm = item.pcm;
    if (item.rateHz !== this.#rateHz) {
      let r = this.#resamplers.get(item.rateHz);
      if (!r) {
        this.#resamplers.set(item.rateHz, (r = new Resampler(item.rateHz, this.#rateHz)));
        this.#log.info({ conn: this.id, uuid: this.uuid, fromHz: item.rateHz, toHz: this.#rateHz }, 'AudioSocket audio resampled to the leg rate');
      }
      pcm = r.process(pcm);
      if (pcm.length === 0) return;
    }
    call.audio(role, pcm, this.#clockSamples);
    this.#clockSamples += pcm.length;
  }

  #onEnd(): void {
    const truncated = this.#parser.finish();
    if (truncated) this.#log.warn({ conn: this.id, uuid: this.uuid, code: truncated.code }, 'AudioSocket closed inside a frame');
    this.#closeWith(undefined, this.endReason ?? 'hangup');
  }

  #authFault(why: string): void {
    this.#log.warn({ conn: this.id, remote: this.socket.remoteAddress }, 'AudioSocket authentication failed');
    this.#closeWith(encodeError(AUDIOSOCKET_REFUSAL.auth, 'EARPIECE_BRIDGE_AUDIOSOCKET_AUTH'), 'error', why);
  }

  #protocolFault(err: BridgeError): void {
    this.#log.warn({ conn: this.id, uuid: this.uuid, code: err.code, frames: this.frames }, 'AudioSocket protocol error: closing the connection');
    this.#closeWith(encodeError(AUDIOSOCKET_REFUSAL.protocol, err.code), 'error');
  }

  #error(code: string, message: string): BridgeError {
    return new BridgeError(code, message);
  }

  #closeWith(reply: Buffer | undefined, reason: LegEndReason, detail?: string): void {
    if (this.ended) return;
    if (detail) this.#log.debug({ conn: this.id, detail }, 'AudioSocket closing');
    if (!this.socket.destroyed) {
      if (reply) this.socket.write(reply);
      this.socket.end();
      // A peer that never closes its side is cut off.
      setTimeout(() => this.socket.destroy(), 2000).unref();
    }
    this.#finish(reason);
  }

  /** The filter tail of any rate conversion, so the last milliseconds are not lost. */
  #drainResamplers(): void {
    for (const r of this.#resamplers.values()) {
      const tail = r.flush();
      if (tail.length > 0) {
        this.#call!.audio(this.#role!, tail, this.#clockSamples);
        this.#clockSamples += tail.length;
      }
    }
    this.#resamplers.clear();
  }

  #finish(reason: LegEndReason): void {
    if (this.ended) return;
    this.endReason = reason;
    if (this.#call) this.#drainResamplers();
    this.#log.debug({ conn: this.id, uuid: this.uuid, reason, frames: this.frames }, 'AudioSocket leg ended');
    this.host.ended(this);
  }
}
