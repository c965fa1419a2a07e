/**
 * Opt-in keeping of unredacted audio (EARPIECE_ORIGINAL_AUDIO_KEY): each chunk is encrypted with
 * AES-256-GCM before it touches the disk, so originals exist at rest only as ciphertext that the
 * site's key opens. Record format, repeated: u32 BE payload length, 12-byte IV, ciphertext, 16-byte
 * tag; the plaintext is a u64 BE start sample followed by s16le PCM.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export class OriginalAudioKeyError extends Error {
  readonly code = 'EARPIECE_ORIGINAL_AUDIO_KEY';
}

/** The key is 32 bytes given as 64 hex characters. */
export function parseOriginalAudioKey(hex: string): Buffer {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new OriginalAudioKeyError('EARPIECE_ORIGINAL_AUDIO_KEY must be 64 hex characters (a 256-bit key), e.g. from `openssl rand -hex 32`');
  return Buffer.from(hex, 'hex');
}

export function originalAudioPath(spoolPcmPath: string): string {
  return spoolPcmPath.replace(/\.pcm$/, '') + '.original.enc';
}

export class OriginalAudioVault {
  private fd: number | undefined;

  constructor(private readonly path: string, private readonly key: Buffer) {}

  append(pcm: Int16Array, startSample: number): void {
    const plain = Buffer.alloc(8 + pcm.byteLength);
    plain.writeBigUInt64BE(BigInt(startSample), 0);
    Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).copy(plain, 8);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    const record = Buffer.alloc(4 + 12 + body.length + 16);
    record.writeUInt32BE(body.length, 0);
    iv.copy(record, 4);
    body.copy(record, 16);
    cipher.getAuthTag().copy(record, 16 + body.length);
    if (this.fd === undefined) {
      mkdirSync(dirname(this.path), { recursive: true });
      this.fd = openSync(this.path, 'a');
    }
    let off = 0;
    while (off < record.length) off += writeSync(this.fd, record, off);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Decrypts a vault file into one PCM buffer (chunks placed at their start samples). A wrong key or a tampered file throws. */
export function readOriginalAudio(path: string, key: Buffer): Int16Array {
  const file = readFileSync(path);
  const chunks: Array<{ start: number; pcm: Int16Array }> = [];
  let off = 0;
  while (off + 4 <= file.length) {
    const len = file.readUInt32BE(off);
    if (off + 4 + 12 + len + 16 > file.length) throw new OriginalAudioKeyError(`${path}: truncated record at byte ${off}`);
    const iv = file.subarray(off + 4, off + 16);
    const body = file.subarray(off + 16, off + 16 + len);
    const tag = file.subarray(off + 16 + len, off + 32 + len);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    const plain = Buffer.concat([decipher.update(body), decipher.final()]);
    const start = Number(plain.readBigUInt64BE(0));
    const pcmBytes = plain.subarray(8);
    const pcm = new Int16Array(pcmBytes.length / 2);
    Buffer.from(pcm.buffer).set(pcmBytes);
    chunks.push({ start, pcm });
    off += 32 + len;
  }
  const total = Math.max(0, ...chunks.map((c) => c.start + c.pcm.length));
  const base = chunks.length ? Math.min(...chunks.map((c) => c.start)) : 0;
  const out = new Int16Array(total - base);
  for (const c of chunks) out.set(c.pcm, c.start - base);
  return out;
}
