/**
 * Bridge → assist-server ingest protocol (WebSocket `/ingest`), version 1.
 *
 * One WebSocket carries one call. Text frames are JSON control messages (schemas below);
 * binary frames are audio, one leg's 16-bit little-endian PCM (L16) with a 16-byte header
 * (see {@link encodeAudioFrame}). Codecs are decoded in the bridge: nothing past the bridge
 * sees µ-law, A-law or a provider's wire dialect.
 *
 * Sequence:
 *   bridge  → `call.start`            (server answers `call.accepted` or `error` + close)
 *   bridge  → binary audio frames, per leg `seq` 0, 1, 2 …
 *   bridge  → `call.dtmf`, `call.hold` as they happen
 *   server  → `ack` per leg: the highest `seq` whose audio is durably stored (settled in the
 *             call's spool), which lags what was received by up to ~40 s; the bridge keeps
 *             every frame after it (60 s buffer)
 *   bridge  → `call.stop`             (server flushes recognizers, answers `call.stopped`)
 *
 * A bridge that reconnects sends the same `call.start` (same callId) and resends every frame
 * from the `nextSeq` in `call.accepted`: the server drops frames it has already seen. A server
 * that restarted resumes the call from its spool, so `nextSeq` is then the last acked seq + 1.
 */
import { z } from 'zod';

export const INGEST_PROTOCOL_VERSION = 1;
export const INGEST_PATH = '/ingest';

export const LegRole = z.enum(['agent', 'customer']);
export type LegRole = z.infer<typeof LegRole>;

export const AudioCodec = z.enum(['L16']);
export type AudioCodec = z.infer<typeof AudioCodec>;

/** Sample rates a leg may declare: 8 kHz is telephone audio; wideband sources go up to 48 kHz. */
export const MIN_SAMPLE_RATE_HZ = 8000;
export const MAX_SAMPLE_RATE_HZ = 48000;

export const LegSpec = z.object({
  role: LegRole,
  codec: AudioCodec.default('L16'),
  sampleRateHz: z.number().int().min(MIN_SAMPLE_RATE_HZ).max(MAX_SAMPLE_RATE_HZ),
});
export type LegSpec = z.infer<typeof LegSpec>;

const CallId = z.string().min(1).max(128).regex(/^[A-Za-z0-9._:@-]+$/, 'callId: letters, digits and ._:@- only');

export const CallStartMessage = z.object({
  type: z.literal('call.start'),
  v: z.literal(INGEST_PROTOCOL_VERSION),
  callId: CallId,
  agentId: z.string().min(1).max(128),
  /** Caller's number as the PBX gave it; treated as PII (masked before it is shown or stored). */
  callerNumber: z.string().max(64).optional(),
  /** Which bridge source produced the call: `wav-replay`, `microphone`, `siprec`, … */
  source: z.string().max(64).default('unknown'),
  /** Wall-clock time the call started, ms since the epoch. */
  startedAtMs: z.number().int().nonnegative(),
  legs: z.array(LegSpec).min(1).max(2).refine((legs) => new Set(legs.map((l) => l.role)).size === legs.length, {
    message: 'each leg role may appear once',
  }),
});
export type CallStartMessage = z.infer<typeof CallStartMessage>;

export const CallStopMessage = z.object({
  type: z.literal('call.stop'),
  callId: CallId,
  reason: z.enum(['hangup', 'end-of-media', 'error', 'shutdown']).default('hangup'),
});
export type CallStopMessage = z.infer<typeof CallStopMessage>;

/** A keypad digit (RFC 4733 event, AudioSocket 0x03, …). Digits are PII until masked: the server masks them. */
export const CallDtmfMessage = z.object({
  type: z.literal('call.dtmf'),
  callId: CallId,
  role: LegRole,
  digit: z.string().regex(/^[0-9*#A-D]$/, 'digit: one of 0-9 * # A-D'),
  /** Position on the leg's clock, ms since call start. */
  offsetMs: z.number().nonnegative(),
  durationMs: z.number().nonnegative().default(0),
});
export type CallDtmfMessage = z.infer<typeof CallDtmfMessage>;

/** Hold (a re-INVITE with a=inactive/sendonly, a PBX hold event) and its end. Not a hang-up. */
export const CallHoldMessage = z.object({
  type: z.literal('call.hold'),
  callId: CallId,
  held: z.boolean(),
});
export type CallHoldMessage = z.infer<typeof CallHoldMessage>;

export const IngestClientMessage = z.discriminatedUnion('type', [CallStartMessage, CallStopMessage, CallDtmfMessage, CallHoldMessage]);
export type IngestClientMessage = z.infer<typeof IngestClientMessage>;

/** Codes of the server's `error` messages; a bridge may branch on them. */
export const IngestErrorCode = {
  BadFrame: 'EARPIECE_INGEST_BAD_FRAME',
  BadJson: 'EARPIECE_INGEST_BAD_JSON',
  BadMessage: 'EARPIECE_INGEST_BAD_MESSAGE',
  NoCall: 'EARPIECE_INGEST_NO_CALL',
  UnknownLeg: 'EARPIECE_INGEST_UNKNOWN_LEG',
  DuplicateStart: 'EARPIECE_INGEST_DUPLICATE_START',
  Overflow: 'EARPIECE_INGEST_OVERFLOW',
  /** Node at capacity: retryable, elsewhere or later. */
  Capacity: 'EARPIECE_INGEST_CAPACITY',
  /** call.start for a call that has already ended (e.g. a reconnect after call.stop got through). */
  CallEnded: 'EARPIECE_INGEST_CALL_ENDED',
  StartFailed: 'EARPIECE_INGEST_START_FAILED',
  StopFailed: 'EARPIECE_INGEST_STOP_FAILED',
} as const;
export type IngestErrorCode = (typeof IngestErrorCode)[keyof typeof IngestErrorCode];

export type IngestServerMessage =
  | { type: 'call.accepted'; callId: string; /** per leg: the next seq the server expects */ nextSeq: Record<string, number> }
  /** `seq` and every frame before it on that leg are durably stored: the bridge may drop them. */
  | { type: 'ack'; callId: string; role: LegRole; seq: number }
  | { type: 'call.stopped'; callId: string }
  | { type: 'error'; code: IngestErrorCode; message: string; retryable: boolean };

// ---------------------------------------------------------------------------------------------
// Binary audio frames
// ---------------------------------------------------------------------------------------------

/** Byte 0 of every binary frame. */
export const AUDIO_FRAME_KIND = 0x01;
export const AUDIO_FRAME_HEADER_BYTES = 16;
/** Upper bound on one frame's PCM payload (1 s at 48 kHz); larger frames are rejected. */
export const MAX_AUDIO_FRAME_PAYLOAD_BYTES = 96_000;

const LEG_CODES: Record<LegRole, number> = { agent: 0, customer: 1 };
const LEG_BY_CODE: readonly LegRole[] = ['agent', 'customer'];

/**
 * One leg's audio. `offsetSamples` is the position of the first sample on the leg's clock
 * (samples since call start at the leg's sample rate): it keeps word times true after loss.
 */
export interface AudioFrame {
  role: LegRole;
  seq: number;
  offsetSamples: number;
  pcm: Int16Array;
}

/**
 * Header layout (big-endian):
 *   0  u8  kind = 0x01
 *   1  u8  leg (0 agent, 1 customer)
 *   2  u16 reserved (0)
 *   4  u32 seq
 *   8  u64 offsetSamples (written as two u32 halves)
 *   16 …   PCM, s16le
 */
export function encodeAudioFrame(frame: AudioFrame): Uint8Array {
  const payloadBytes = frame.pcm.length * 2;
  const out = new Uint8Array(AUDIO_FRAME_HEADER_BYTES + payloadBytes);
  const view = new DataView(out.buffer);
  view.setUint8(0, AUDIO_FRAME_KIND);
  view.setUint8(1, LEG_CODES[frame.role]);
  view.setUint16(2, 0);
  view.setUint32(4, frame.seq >>> 0);
  view.setUint32(8, Math.floor(frame.offsetSamples / 2 ** 32));
  view.setUint32(12, frame.offsetSamples >>> 0);
  for (let i = 0; i < frame.pcm.length; i++) view.setInt16(AUDIO_FRAME_HEADER_BYTES + i * 2, frame.pcm[i]!, true);
  return out;
}

export class AudioFrameError extends Error {
  readonly code = IngestErrorCode.BadFrame;
  readonly retryable = false;
}

/** Parses a binary frame; throws {@link AudioFrameError} on anything malformed. */
export function decodeAudioFrame(bytes: Uint8Array): AudioFrame {
  if (bytes.byteLength < AUDIO_FRAME_HEADER_BYTES) throw new AudioFrameError(`frame of ${bytes.byteLength} bytes is shorter than its header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kind = view.getUint8(0);
  if (kind !== AUDIO_FRAME_KIND) throw new AudioFrameError(`unknown frame kind 0x${kind.toString(16)}`);
  const role = LEG_BY_CODE[view.getUint8(1)];
  if (!role) throw new AudioFrameError(`unknown leg code ${view.getUint8(1)}`);
  const payloadBytes = bytes.byteLength - AUDIO_FRAME_HEADER_BYTES;
  if (payloadBytes % 2 !== 0) throw new AudioFrameError('PCM payload has an odd number of bytes');
  if (payloadBytes > MAX_AUDIO_FRAME_PAYLOAD_BYTES) throw new AudioFrameError(`PCM payload of ${payloadBytes} bytes exceeds ${MAX_AUDIO_FRAME_PAYLOAD_BYTES}`);
  const seq = view.getUint32(4);
  const offsetSamples = view.getUint32(8) * 2 ** 32 + view.getUint32(12);
  if (!Number.isSafeInteger(offsetSamples)) throw new AudioFrameError(`offsetSamples ${offsetSamples} is past 2^53 (not an exact sample position)`);
  const pcm = new Int16Array(payloadBytes / 2);
  for (let i = 0; i < pcm.length; i++) pcm[i] = view.getInt16(AUDIO_FRAME_HEADER_BYTES + i * 2, true);
  return { role, seq, offsetSamples, pcm };
}
