/**
 * Post-call archive job: turns a finished call's spool into its archive entry.
 *   data/calls/YYYY/MM/DD/<callId>/<role>.wav   per-leg recording (settled = already redacted audio)
 *   data/calls/YYYY/MM/DD/<callId>/transcript.json, events.jsonl   masked
 *   data/calls/YYYY/MM/DD/<callId>/<role>.original.enc   only where a site keeps encrypted originals
 * and marks the call archived in SQLite with each recording's size and sha256. Idempotent: a
 * retried job rewrites the same files (temp name, then rename) and the same rows.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pcm16WavHeader } from '../audio/wav-header.ts';
import { originalAudioPath } from '../calls/original-audio-vault.ts';
import type { LegRole } from '../protocol/index.ts';
import type { CallStore, RecordingRecord } from '../store/call-store.ts';

export interface ArchiveCallJobData {
  callId: string;
  legs: Array<{ role: LegRole; spoolPath: string; sampleRateHz: number }>;
}

export interface ArchiveResult {
  callId: string;
  archiveDir: string;
  recordings: RecordingRecord[];
  skipped?: 'already-archived';
}

export async function archiveCall(data: ArchiveCallJobData, deps: { store: CallStore; dataDir: string }): Promise<ArchiveResult> {
  const call = deps.store.getCall(data.callId);
  if (!call) throw new Error(`call ${data.callId} is not in the store`);
  if (call.status === 'archived' && call.archiveDir) {
    return { callId: data.callId, archiveDir: call.archiveDir, recordings: deps.store.recordings(data.callId), skipped: 'already-archived' };
  }
  const day = new Date(call.startedAtMs).toISOString().slice(0, 10).split('-');
  const archiveDir = join(deps.dataDir, 'calls', ...day, safeName(call.callId));
  await mkdir(archiveDir, { recursive: true });

  const recordings: RecordingRecord[] = [];
  for (const leg of data.legs) {
    const path = join(archiveDir, `${leg.role}.wav`);
    const { dataBytes, sha256 } = await spoolToWav(leg.spoolPath, path, leg.sampleRateHz);
    recordings.push({
      callId: call.callId,
      role: leg.role,
      path,
      sampleRateHz: leg.sampleRateHz,
      durationMs: Math.round((dataBytes / 2 / leg.sampleRateHz) * 1000),
      bytes: dataBytes + 44,
      sha256,
    });
  }
  const transcript = { callId: call.callId, agentId: call.agentId, startedAtMs: call.startedAtMs, utterances: deps.store.finals(call.callId) };
  await writeAtomic(join(archiveDir, 'transcript.json'), JSON.stringify(transcript, null, 2));
  await writeAtomic(join(archiveDir, 'events.jsonl'), deps.store.events(call.callId).map((e) => JSON.stringify(e)).join('\n') + '\n');
  for (const leg of data.legs) {
    const original = originalAudioPath(leg.spoolPath);
    if (existsSync(original)) await rename(original, join(archiveDir, `${leg.role}.original.enc`));
  }
  deps.store.markArchived(call.callId, archiveDir, recordings);
  for (const leg of data.legs) await rm(leg.spoolPath, { force: true });
  return { callId: call.callId, archiveDir, recordings };
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

async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_');
}
