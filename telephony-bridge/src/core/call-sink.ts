/**
 * What every telephony source talks to. A source (SIPREC session, SIP dialog, AudioSocket pair,
 * Twilio or mod_audio_fork stream, WAV replay) decodes its wire dialect and opens a BridgeCall:
 * 16-bit PCM per leg, keypad digits, hold/resume, end. Nothing past a source sees µ-law, RTP or
 * a provider's JSON. The sink decides where calls go (assist-server's ingest) and how many the
 * bridge takes at once.
 */
import type { LegRole } from '@earpiece/assist-server/protocol';

export interface BridgeLegSpec {
  role: LegRole;
  sampleRateHz: number;
}

export interface BridgeCallSpec {
  callId: string;
  agentId: string;
  /** As the PBX gave it; masked by the server before it is shown or stored. */
  callerNumber?: string | undefined;
  /** The source's name: siprec, sip, audiosocket, twilio, audio-fork, wav-replay, microphone. */
  source: string;
  legs: BridgeLegSpec[];
}

export type CallEndReason = 'hangup' | 'end-of-media' | 'error' | 'shutdown';

export interface BridgeCall {
  readonly callId: string;
  /** One leg's PCM; `offsetSamples` on the leg clock marks a gap (lost packets), default contiguous. */
  audio(role: LegRole, pcm: Int16Array, offsetSamples?: number): void;
  /** A keypad digit (0-9 * # A-D) at `offsetMs` on the leg clock. */
  dtmf(role: LegRole, digit: string, offsetMs: number, durationMs?: number): void;
  /** Hold (true) and resume (false). Not a hang-up. */
  hold(held: boolean): void;
  /** Whether more audio may be queued now without growing buffers past their marks (ingest socket, resend buffer). */
  readonly hasCapacity: boolean;
  /** Resolves when hasCapacity is true again; rejects when the call can take no more audio. Sources that can pause their input (TCP, WebSocket) wait on it. */
  waitForCapacity(): Promise<void>;
  /** Ends the call after the server has every frame: the last words before hang-up are recognized. Idempotent. */
  end(reason: CallEndReason): Promise<void>;
}

export interface CallSink {
  /**
   * Opens a call. Rejects with a BridgeError when the bridge is at capacity
   * (EARPIECE_BRIDGE_CAPACITY, retryable) or assist-server refuses or cannot be reached: the
   * source then refuses the call on its own protocol (SIP 503/486, AudioSocket error, WS close).
   */
  open(spec: BridgeCallSpec): Promise<BridgeCall>;
  readonly activeCalls: number;
}
