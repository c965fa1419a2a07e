/**
 * RFC 3550 RTP packet parsing (and building, for tests and the simulator). The parser checks the
 * version (2), the minimum length (12-byte fixed header), the CSRC list, the header extension and
 * the padding, and returns views into the datagram (no copies). Anything malformed throws a
 * BridgeError with an EARPIECE_BRIDGE_RTP_* code; it never reads past the buffer.
 * `looksLikeRtcp` tells RTCP apart from RTP on a shared port (RFC 5761 §4).
 */
import { BridgeError } from '../../core/errors.ts';

export const RTP_HEADER_BYTES = 12;

export const RtpErrorCode = {
  truncated: 'EARPIECE_BRIDGE_RTP_TRUNCATED',
  badVersion: 'EARPIECE_BRIDGE_RTP_BAD_VERSION',
  badPadding: 'EARPIECE_BRIDGE_RTP_BAD_PADDING',
  badExtension: 'EARPIECE_BRIDGE_RTP_BAD_EXTENSION',
} as const;

export interface RtpHeaderExtension {
  /** The 16-bit profile-defined value (0xBEDE for RFC 8285 one-byte headers). */
  profile: number;
  /** The extension body (length × 4 bytes), a view into the datagram. */
  data: Uint8Array;
}

export interface RtpPacket {
  version: 2;
  padding: boolean;
  marker: boolean;
  payloadType: number;
  /** 16-bit, wraps. */
  sequenceNumber: number;
  /** 32-bit unsigned, on the payload's clock. */
  timestamp: number;
  /** 32-bit unsigned. */
  ssrc: number;
  csrcs: number[];
  extension: RtpHeaderExtension | null;
  /** The payload without header, extension or padding; a view into the datagram. */
  payload: Uint8Array;
}

const malformed = (code: string, message: string): BridgeError =>
  new BridgeError(code, `${message}; the packet was dropped (check that only RTP is sent to this port, e.g. the SDP answer's port)`);

/** Parses one RTP datagram. Throws BridgeError (EARPIECE_BRIDGE_RTP_*) when it is not valid RTP. */
export function parseRtpPacket(buf: Uint8Array): RtpPacket {
  if (buf.length < RTP_HEADER_BYTES) {
    throw malformed(RtpErrorCode.truncated, `RTP packet of ${buf.length} bytes is shorter than the 12-byte fixed header`);
  }
  const b0 = buf[0]!;
  const b1 = buf[1]!;
  const version = b0 >> 6;
  if (version !== 2) throw malformed(RtpErrorCode.badVersion, `RTP version ${version} (expected 2)`);
  const padding = (b0 & 0x20) !== 0;
  const hasExtension = (b0 & 0x10) !== 0;
  const csrcCount = b0 & 0x0f;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);

  let offset = RTP_HEADER_BYTES;
  if (buf.length < offset + csrcCount * 4) {
    throw malformed(RtpErrorCode.truncated, `RTP packet of ${buf.length} bytes is too short for its ${csrcCount} CSRC entries`);
  }
  const csrcs: number[] = [];
  for (let i = 0; i < csrcCount; i++, offset += 4) csrcs.push(view.getUint32(offset));

  let extension: RtpHeaderExtension | null = null;
  if (hasExtension) {
    if (buf.length < offset + 4) {
      throw malformed(RtpErrorCode.badExtension, `RTP header extension flag set but only ${buf.length - offset} bytes follow the header`);
    }
    const profile = view.getUint16(offset);
    const words = view.getUint16(offset + 2);
    const end = offset + 4 + words * 4;
    if (end > buf.length) {
      throw malformed(RtpErrorCode.badExtension, `RTP header extension of ${words * 4} bytes overruns the ${buf.length}-byte packet`);
    }
    extension = { profile, data: buf.subarray(offset + 4, end) };
    offset = end;
  }

  let payloadEnd = buf.length;
  if (padding) {
    const count = buf[buf.length - 1]!;
    if (count === 0 || count > buf.length - offset) {
      throw malformed(RtpErrorCode.badPadding, `RTP padding count ${count} is invalid for a packet with ${buf.length - offset} bytes after the header`);
    }
    payloadEnd -= count;
  }

  return {
    version: 2,
    padding,
    marker: (b1 & 0x80) !== 0,
    payloadType: b1 & 0x7f,
    sequenceNumber: view.getUint16(2),
    timestamp: view.getUint32(4),
    ssrc: view.getUint32(8),
    csrcs,
    extension,
    payload: buf.subarray(offset, payloadEnd),
  };
}

/**
 * True when a datagram looks like RTCP rather than RTP (version 2, packet type 192-223, RFC 5761):
 * RTCP sent to the RTP port (rtcp-mux) is then counted and ignored instead of rejected.
 */
export function looksLikeRtcp(buf: Uint8Array): boolean {
  return buf.length >= 8 && buf[0]! >> 6 === 2 && buf[1]! >= 192 && buf[1]! <= 223;
}

export interface RtpPacketInit {
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  payload: Uint8Array;
  marker?: boolean;
  csrcs?: number[];
  extension?: RtpHeaderExtension;
  /** Padding bytes to append (1-255), the last one holding the count. */
  paddingBytes?: number;
}

/** Builds an RTP datagram (for the simulator and tests). */
export function encodeRtpPacket(init: RtpPacketInit): Buffer {
  const csrcs = init.csrcs ?? [];
  const ext = init.extension;
  if (ext && ext.data.length % 4 !== 0) throw new BridgeError(RtpErrorCode.badExtension, 'RTP header extension data must be a multiple of 4 bytes');
  const pad = init.paddingBytes ?? 0;
  const headerLen = RTP_HEADER_BYTES + csrcs.length * 4 + (ext ? 4 + ext.data.length : 0);
  const buf = Buffer.alloc(headerLen + init.payload.length + pad);
  buf[0] = 0x80 | (pad > 0 ? 0x20 : 0) | (ext ? 0x10 : 0) | (csrcs.length & 0x0f);
  buf[1] = (init.marker ? 0x80 : 0) | (init.payloadType & 0x7f);
  buf.writeUInt16BE(init.sequenceNumber & 0xffff, 2);
  buf.writeUInt32BE(init.timestamp >>> 0, 4);
  buf.writeUInt32BE(init.ssrc >>> 0, 8);
  let offset = RTP_HEADER_BYTES;
  for (const c of csrcs) offset = buf.writeUInt32BE(c >>> 0, offset);
  if (ext) {
    offset = buf.writeUInt16BE(ext.profile, offset);
    offset = buf.writeUInt16BE(ext.data.length / 4, offset);
    buf.set(ext.data, offset);
    offset += ext.data.length;
  }
  buf.set(init.payload, offset);
  if (pad > 0) buf[buf.length - 1] = pad;
  return buf;
}
