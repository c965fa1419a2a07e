/**
 * One media WebSocket = one call: feeds frames to its dialect's decoder and the decoded events
 * to a BridgeCall. The call opens on the decoder's `start` (after the shared secret is checked,
 * when the upgrade did not carry it); events that arrive while it opens are held in order. Junk
 * closes this socket with a clear code (reason = the EARPIECE_* code); the call ends after every
 * frame received was handed on: `stop` or a close → hangup, a rejection → error.
 */
import type { WebSocket } from 'ws';
import type { BridgeCall, CallEndReason, CallSink } from '../../core/call-sink.ts';
import { BridgeError } from '../../core/errors.ts';
import type { BridgeLogger } from '../../core/logger.ts';
import { FlowGate } from '../../core/flow-gate.ts';
import { secretMatches } from '../../core/shared-secret.ts';
import { CLOSE, MediaStreamError, type MediaDecoder, type MediaEvent } from './media-events.ts';

export interface SessionOptions {
  sink: CallSink;
  secret?: string | undefined;
  /** The upgrade request already carried a valid credential. */
  authenticated: boolean;
  defaultAgentId?: string | undefined;
  logger: BridgeLogger;
}

type State = 'waiting' | 'opening' | 'live' | 'ended';

export class MediaStreamSession {
  callId: string | undefined;
  /** Resolves when the call has ended (or was never opened) and the socket is closed. */
  readonly done: Promise<void>;
  #state: State = 'waiting';
  #call: BridgeCall | undefined;
  #held: MediaEvent[] = [];
  #endReason: CallEndReason | undefined;
  #gate: FlowGate;
  #log: BridgeLogger;
  #callDone!: () => void;

  constructor(
    readonly id: number,
    private readonly ws: WebSocket,
    private readonly decoder: MediaDecoder,
    private readonly options: SessionOptions,
  ) {
    this.#log = options.logger;
    this.#gate = new FlowGate(ws);
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    const callDone = new Promise<void>((resolve) => (this.#callDone = resolve));
    this.done = Promise.all([closed, callDone]).then(() => {});
    ws.on('message', (data: Buffer, isBinary: boolean) => this.#onMessage(data, isBinary));
    ws.on('error', (err: Error & { code?: string }) => this.#log.warn({ stream: id, dialect: decoder.dialect, callId: this.callId, code: err.code }, 'media stream socket error'));
    ws.on('close', (code: number) => this.#onClose(code));
  }

  /** Server shutdown: hand on what arrived, end the call, close the socket (1001). */
  shutdown(): void {
    this.#finish('shutdown');
    if (this.ws.readyState <= 1) this.ws.close(CLOSE.goingAway, 'EARPIECE_BRIDGE_SHUTTING_DOWN');
  }

  #onMessage(data: Buffer, isBinary: boolean): void {
    if (this.#state === 'ended' || this.#endReason) return;
    let events: MediaEvent[];
    try {
      events = isBinary ? this.decoder.binary(data) : this.decoder.text(data.toString('utf8'));
    } catch (err) {
      return this.#reject(err instanceof MediaStreamError ? err : new MediaStreamError('EARPIECE_BRIDGE_WS_BAD_MESSAGE', (err as Error).message, CLOSE.invalidPayload));
    }
    for (const event of events) {
      if (event.type === 'start') this.#start(event);
      else if (this.#state === 'live') this.#deliver(event);
      else this.#held.push(event);
    }
    this.#gate.check(this.#call);
  }

  #start(event: Extract<MediaEvent, { type: 'start' }>): void {
    const { secret } = this.options;
    if (secret !== undefined && !this.options.authenticated && !secretMatches(secret, event.token)) {
      return this.#reject(new MediaStreamError('EARPIECE_BRIDGE_WS_AUTH', `${this.decoder.dialect}: missing or wrong shared secret (Authorization: Bearer, ?token=, or a token in the first message)`, CLOSE.policy));
    }
    const agentId = event.agentId ?? this.options.defaultAgentId;
    if (!agentId) return this.#reject(new MediaStreamError('EARPIECE_BRIDGE_WS_NO_AGENT', `${this.decoder.dialect}: the stream names no agentId and no default is configured`, CLOSE.policy));
    this.callId = event.callId;
    this.#state = 'opening';
    this.ws.pause();
    this.options.sink
      .open({ callId: event.callId, agentId, callerNumber: event.callerNumber, source: this.decoder.dialect, legs: event.legs })
      .then(
        (call) => {
          this.#call = call;
          this.#state = 'live';
          this.#log.info({ stream: this.id, dialect: this.decoder.dialect, callId: call.callId, legs: event.legs.map((l) => `${l.role}@${l.sampleRateHz}`) }, 'media stream call opened');
          for (const held of this.#held.splice(0)) this.#deliver(held);
          if (this.#endReason) return this.#end();
          this.ws.resume();
          this.#gate.check(call);
        },
        (err: BridgeError) => {
          // The bridge's own limit, or assist-server's admission control (retryable either way).
          const capacity = err.code === 'EARPIECE_BRIDGE_CAPACITY' || err.code === 'EARPIECE_INGEST_CAPACITY';
          this.#held = [];
          this.#state = 'ended';
          this.#log.warn({ stream: this.id, callId: event.callId, code: err.code }, 'media stream call refused');
          this.ws.resume();
          if (this.ws.readyState <= 1) this.ws.close(capacity ? CLOSE.tryAgainLater : CLOSE.internalError, err.code.slice(0, 120));
          this.#callDone();
        },
      );
  }

  #deliver(event: MediaEvent): void {
    const call = this.#call!;
    if (event.type === 'audio') call.audio(event.role, event.pcm, event.offsetSamples);
    else if (event.type === 'dtmf') call.dtmf(event.role, event.digit, event.offsetMs);
    else if (event.type === 'stop') {
      this.#finish('hangup');
      if (this.ws.readyState <= 1) this.ws.close(CLOSE.normal, 'stop');
    }
  }

  #reject(err: MediaStreamError): void {
    this.#log.warn({ stream: this.id, dialect: this.decoder.dialect, callId: this.callId, code: err.code, closeCode: err.closeCode }, 'media stream rejected');
    this.#finish('error');
    if (this.ws.readyState <= 1) this.ws.close(err.closeCode, err.code.slice(0, 120));
  }

  #onClose(code: number): void {
    if (code === CLOSE.tooBig) this.#log.warn({ stream: this.id, callId: this.callId, code: 'EARPIECE_BRIDGE_WS_TOO_BIG' }, 'media stream message over maxPayload');
    this.#finish(code === CLOSE.tooBig ? 'error' : 'hangup');
  }

  /** Marks the end; the call ends now when live, or after it opens (held events first). */
  #finish(reason: CallEndReason): void {
    if (this.#endReason) return;
    this.#endReason = reason;
    if (this.#state === 'live') this.#end();
    else if (this.#state === 'waiting') {
      this.#state = 'ended';
      this.#callDone();
    }
  }

  #end(): void {
    if (this.#state === 'ended') return;
    this.#state = 'ended';
    const call = this.#call!;
    this.#log.info({ stream: this.id, callId: call.callId, reason: this.#endReason }, 'media stream call ended');
    void call
      .end(this.#endReason ?? 'hangup')
      .catch((err: Error & { code?: string }) => this.#log.error({ callId: call.callId, code: err.code }, 'media stream call did not end cleanly'))
      .finally(() => this.#callDone());
  }
}
