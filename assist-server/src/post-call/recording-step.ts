/**
 * Step "recording": each leg's spool (raw s16le, already redacted while the call ran) becomes the
 * archive's `<role>.wav`, the playable copy the reviewer's player serves, hashed as it streams; an
 * encrypted original (only where a site keeps them) moves beside it. Rewriting is safe (temp name,
 * then rename), so a step cut off half way simply runs again (step "encode" adds a FLAC copy).
 * The pipeline deletes the spools only after the step is recorded as done.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pcm16WavHeader } from '../audio/wav-header.ts';
import { originalAudioPath } from '../calls/original-audio-vault.ts';
import type { LegRole } from '../protocol/index.ts';
import type { RecordingRecord } from '../store/call-store.ts';

export interface LegSpool {
  role: LegRole;
  spoolPath: string;
  sampleRateHz: number;
}

export async function encodeRecordings(callId: string, legs: LegSpool[], archiveDir: string): Promise<RecordingRecord[]> {
  const recordings: RecordingRecord[] = [];
  for (const leg of legs) {
    const path = join(archiveDir, `${leg.role}.wav`);
    const { dataBytes, sha256 } = await spoolToWav(leg.spoolPath, path, leg.sampleRateHz);
    recordings.push({ callId, role: leg.role, path, sampleRateHz: leg.sampleRateHz, durationMs: Math.round((dataBytes / 2 / leg.sampleRateHz) * 1000), bytes: dataBytes + 44, sha256 });
    const original = originalAudioPath(leg.spoolPath);
    if (existsSync(original)) await rename(original, join(archiveDir, `${leg.role}.original.enc`));
  }
  return recordings;
}

/** Streams a raw s16le spool into a WAV file (header + copy), hashing as it goes: no whole recording in memory. */
async function spoolToWav(spoolPath: string, wavPath: string, sampleRateHz: number): Promise<{ dataBytes: number; sha256: string }> {
  const size = existsSync(spoolPath) ? (await stat(spoolPath)).size : 0;
  const dataBytes = size - (size % 2);
  const header = pcm16WavHeader(sampleRateHz, dataBytes);
  const hash = createHash('sha256').update(header);
  const tmp = `${wavPath}.tmp-${process.pid}`;
  const out = createWriteStream(tmp);
  out.write(header);
  const hashing = new Transform({ transform: (chunk: Buffer, _e, cb) => (hash.update(chunk), cb(null, chunk)) });
  if (dataBytes > 0) await pipeline(createReadStream(spoolPath, { end: dataBytes - 1 }), hashing, out);
  else await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  await rename(tmp, wavPath);
  return { dataBytes, sha256: hash.digest('hex') };
}
