/**
 * Asterisk AudioSocket framing (TCP; Asterisk is the client).
 *
 *   frame = kind (u8) · payload length (u16, big-endian) · payload
 *
 * Kinds (res_audiosocket.h; CyCoreSystems/audiosocket README):
 *   0x00 hangup (no payload)            0x01 UUID (16 raw bytes), the first message
 *   0x02 auth: Earpiece extension, see below (Asterisk never sends it)
 *   0x03 DTMF (1 ASCII byte: 0-9 * # A-D)
 *   0x10…0x18 audio, signed linear 16-bit little-endian mono; the kind names the rate
 *   0xFF error (payload = error code; Asterisk's are bit flags: 0x01 caller hung up,
 *        0x02 frame forwarding error, 0x04 memory error)
 *
 * 0x02 auth (our extension for clients that can send it: the simulate tool, a proxy, a custom
 * AudioSocket client): payload = the shared secret, UTF-8. It must arrive before any audio or DTMF.
 *
 * The parser is streaming: push() takes TCP chunks split anywhere and returns every whole frame.
 * An unknown kind or a payload over the limit is reported as soon as the 3-byte header is seen,
 * without waiting for (or buffering) the payload; the parser then refuses further input.
 */
import { BridgeError } from '../../core/errors.ts';

export const KIND_HANGUP = 0x00;
export const KIND_UUID = 0x01;
export const KIND_AUTH = 0x02;
export const KIND_DTMF = 0x03;
export const KIND_SLIN = 0x10;
export const KIND_ERROR = 0xff;
export const HEADER_BYTES = 3;
/** The length field is 16 bits. */
export const MAX_FRAME_PAYLOAD_BYTES = 0xffff;
/** Default cap: 32 KiB is ~85 ms at 192 kHz or 2 s at 8 kHz; Asterisk sends 20 ms (320 B at 8 kHz). */
export const DEFAULT_MAX_PAYLOAD_BYTES = 32 * 1024;

/**
 * Audio kind → sample rate (Hz). THE table: 0x10 is the original 8 kHz slin; 0x11–0x18 are
 * slin12/16/24/32/44/48/96/192 in the order of Asterisk PR #1492 (merged 2025-10; slin44 is
 * Asterisk's 44.1 kHz format). An intermediate version of res_audiosocket.h defined
 * 0x11 = slin16: for such an Asterisk, pass `kindRates` with that entry changed
 * (e.g. `new Map([...AUDIOSOCKET_KIND_RATES, [0x11, 16000]])`).
 */
export const AUDIOSOCKET_KIND_RATES: ReadonlyMap<number, number> = new Map([
  [0x10, 8000],
  [0x11, 12000],
  [0x12, 16000],
  [0x13, 24000],
  [0x14, 32000],
  [0x15, 44100],
  [0x16, 48000],
  [0x17, 96000],
  [0x18, 192000],
]);

export type AudioSocketFrame =
  | { kind: 'hangup' }
  | { kind: 'uuid'; uuid: string; bytes: Buffer }
  | { kind: 'auth'; secret: Buffer }
  | { kind: 'dtmf'; digit: string }
  | { kind: 'audio'; sampleRateHz: number; pcm: Int16Array }
  | { kind: 'error'; code: number; detail: string };

export interface ParserOptions {
  maxPayloadBytes?: number;
  kindRates?: ReadonlyMap<number, number>;
}

export interface PushResult {
  frames: AudioSocketFrame[];
  /** Set when the input went bad; frames before the fault are still in `frames`. */
  error?: BridgeError;
}

export class AudioSocketParser {
  #pending: Buffer = Buffer.alloc(0);
  #failed: BridgeError | undefined;
  readonly maxPayloadBytes: number;
  readonly kindRates: ReadonlyMap<number, number>;

  constructor(options: ParserOptions = {}) {
    this.maxPayloadBytes = Math.min(options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES, MAX_FRAME_PAYLOAD_BYTES);
    this.kindRates = options.kindRates ?? AUDIOSOCKET_KIND_RATES;
  }

  /** Bytes held for an unfinished frame. */
  get bufferedBytes(): number {
    return this.#pending.length;
  }

  push(chunk: Buffer): PushResult {
    if (this.#failed) return { frames: [], error: this.#failed };
    let buf = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const frames: AudioSocketFrame[] = [];
    while (buf.length >= HEADER_BYTES) {
      const kind = buf[0]!;
      const length = buf.readUInt16BE(1);
      const headerError = this.#checkHeader(kind, length);
      if (headerError) return this.#fail(headerError, frames);
      if (buf.length < HEADER_BYTES + length) break;
      const payload = buf.subarray(HEADER_BYTES, HEADER_BYTES + length);
      buf = buf.subarray(HEADER_BYTES + length);
      const decoded = this.#decode(kind, payload);
      if (decoded instanceof BridgeError) return this.#fail(decoded, frames);
      frames.push(decoded);
    }
    // Keep only the unfinished tail, copied so a large chunk is not retained.
    this.#pending = buf.length === 0 ? Buffer.alloc(0) : Buffer.from(buf);
    return { frames };
  }

  /** The stream ended: an error when it stopped inside a frame. */
  finish(): BridgeError | undefined {
    if (this.#failed || this.#pending.length === 0) return undefined;
    const n = this.#pending.length;
    this.#pending = Buffer.alloc(0);
    return new BridgeError('EARPIECE_BRIDGE_AUDIOSOCKET_TRUNCATED', `the connection closed inside a frame (${n} bytes of an unfinished frame dropped)`);
  }

  #fail(error: BridgeError, frames: AudioSocketFrame[]): PushResult {
    this.#failed = error;
    this.#pending = Buffer.alloc(0);
    return { frames, error };
  }

  #checkHeader(kind: number, length: number): BridgeError | undefined {
    const known = kind === KIND_HANGUP || kind === KIND_UUID || kind === KIND_AUTH || kind === KIND_DTMF || kind === KIND_ERROR || this.kindRates.has(kind);
    if (!known) {
      return new BridgeError('EARPIECE_BRIDGE_AUDIOSOCKET_UNKNOWN_KIND', `unknown AudioSocket frame kind 0x${hex(kind)}; known: 0x00 0x01 0x02 0x03 0x10-0x18 0xff. Is the peer an Asterisk AudioSocket client?`);
    }
    if (length > this.maxPayloadBytes) {
      return new BridgeError('EARPIECE_BRIDGE_AUDIOSOCKET_FRAME_TOO_LARGE', `AudioSocket frame of ${length} bytes (kind 0x${hex(kind)}) exceeds the ${this.maxPayloadBytes}-byte limit; send 20 ms frames or raise maxPayloadBytes`);
    }
    return undefined;
  }

  #decode(kind: number, payload: Buffer): AudioSocketFrame | BridgeError {
    const bad = (what: string) => new BridgeError('EARPIECE_BRIDGE_AUDIOSOCKET_BAD_FRAME', `bad AudioSocket frame (kind 0x${hex(kind)}): ${what}`);
    switch (kind) {
      case KIND_HANGUP:
        return { kind: 'hangup' };
      case KIND_UUID:
        if (payload.length !== 16) return bad(`a UUID is 16 bytes, got ${payload.length}`);
        return { kind: 'uuid', uuid: uuidToString(payload), bytes: Buffer.from(payload) };
      case KIND_AUTH:
        return { kind: 'auth', secret: Buffer.from(payload) };
      case KIND_DTMF: {
        if (payload.length !== 1) return bad(`DTMF is 1 byte, got ${payload.length}`);
        const digit = String.fromCharCode(payload[0]!).toUpperCase();
        if (!/^[0-9*#A-D]$/.test(digit)) return bad(`DTMF byte 0x${hex(payload[0]!)} is not one of 0-9 * # A-D`);
        return { kind: 'dtmf', digit };
      }
      case KIND_ERROR:
        return { kind: 'error', code: payload[0] ?? 0, detail: payload.subarray(1).toString('latin1') };
      default: {
        if (payload.length % 2 !== 0) return bad(`16-bit audio needs an even byte count, got ${payload.length}`);
        return { kind: 'audio', sampleRateHz: this.kindRates.get(kind)!, pcm: decodeSlin(payload) };
      }
    }
  }
}

/** Little-endian s16 bytes → a fresh (aligned) Int16Array. */
export function decodeSlin(payload: Uint8Array): Int16Array {
  const out = new Int16Array(payload.length >> 1);
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2, true);
  return out;
}

export function uuidToString(bytes: Uint8Array): string {
  const h = Buffer.from(bytes).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function uuidToBytes(uuid: string): Buffer {
  const h = uuid.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(h)) throw new BridgeError('EARPIECE_BRIDGE_AUDIOSOCKET_BAD_UUID', `"${uuid}" is not a UUID (32 hex digits, dashes optional)`);
  return Buffer.from(h, 'hex');
}

// ---------------------------------------------------------------------------------------------
// Encoder (tests, the simulate tool, error replies)
// ---------------------------------------------------------------------------------------------

export function encodeFrame(kind: number, payload: Uint8Array = new Uint8Array(0)): Buffer {
  if (payload.length > MAX_FRAME_PAYLOAD_BYTES) throw new BridgeError('EARPIECE_BRIDGE_AUDIOSOCKET_FRAME_TOO_LARGE', `payload of ${payload.length} bytes does not fit a 16-bit length`);
  const out = Buffer.alloc(HEADER_BYTES + payload.length);
  out[0] = kind;
  out.writeUInt16BE(payload.length, 1);
  out.set(payload, HEADER_BYTES);
  return out;
}

export const encodeHangup = (): Buffer => encodeFrame(KIND_HANGUP);
export const encodeUuid = (uuid: string): Buffer => encodeFrame(KIND_UUID, uuidToBytes(uuid));
export const encodeAuth = (secret: string): Buffer => encodeFrame(KIND_AUTH, Buffer.from(secret, 'utf8'));
export const encodeDtmf = (digit: string): Buffer => encodeFrame(KIND_DTMF, Buffer.from(digit, 'latin1'));
/** Error frame: byte 0 = code; the rest (optional) = an ASCII detail, e.g. an EARPIECE_* code. */
export const encodeError = (code: number, detail = ''): Buffer => encodeFrame(KIND_ERROR, Buffer.concat([Buffer.from([code & 0xff]), Buffer.from(detail, 'latin1')]));

/** Audio at `sampleRateHz` with the kind from `kindRates`. */
export function encodeAudio(pcm: Int16Array, sampleRateHz = 8000, kindRates: ReadonlyMap<number, number> = AUDIOSOCKET_KIND_RATES): Buffer {
  const kind = [...kindRates].find(([, rate]) => rate === sampleRateHz)?.[0];
  if (kind === undefined) throw new BridgeError('EARPIECE_BRIDGE_AUDIOSOCKET_BAD_RATE', `no AudioSocket kind carries ${sampleRateHz} Hz`);
  const payload = Buffer.alloc(pcm.length * 2);
  for (let i = 0; i < pcm.length; i++) payload.writeInt16LE(pcm[i]!, i * 2);
  return encodeFrame(kind, payload);
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}
