/**
 * G.711 (ITU-T) µ-law (PCMU, RTP PT 0) and A-law (PCMA, PT 8) to 16-bit linear PCM and back,
 * through the `alawmulaw` package. One payload byte is one 8 kHz sample.
 */
import pkg from 'alawmulaw';

const { alaw, mulaw } = pkg;

export type G711Codec = 'PCMU' | 'PCMA';

/** Decodes a G.711 payload to 16-bit PCM (one sample per byte). */
export function decodeG711(codec: G711Codec, payload: Uint8Array): Int16Array {
  if (payload.length === 0) return new Int16Array(0);
  return codec === 'PCMU' ? mulaw.decode(payload) : alaw.decode(payload);
}

/** Encodes 16-bit PCM to G.711 (for the simulator and tests). */
export function encodeG711(codec: G711Codec, pcm: Int16Array): Uint8Array {
  if (pcm.length === 0) return new Uint8Array(0);
  return codec === 'PCMU' ? mulaw.encode(pcm) : alaw.encode(pcm);
}
