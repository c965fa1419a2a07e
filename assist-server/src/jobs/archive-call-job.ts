/**
 * Post-call archive job: turns a finished call's spool into its archive entry.
 *   data/calls/YYYY/MM/DD/<callId>/<role>.wav   per-leg recording (settled = already redacted audio)
 *   data/calls/YYYY/MM/DD/<callId>/transcript.json, events.jsonl   masked
 * and marks the call archived in SQLite with each recording's size and sha256. Idempotent: a
 * retried job rewrites the same files (temp name, then rename) and the same rows.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeWav } from '../audio/wav-file.ts';
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
    const raw = existsSync(leg.spoolPath) ? await readFile(leg.spoolPath) : Buffer.alloc(0);
    const pcm = new Int16Array(raw.buffer, raw.byteOffset, Math.floor(raw.byteLength / 2));
    const wav = encodeWav({ sampleRateHz: leg.sampleRateHz, channels: [Int16Array.from(pcm)] });
    const path = join(archiveDir, `${leg.role}.wav`);
    await writeAtomic(path, wav);
    recordings.push({
      callId: call.callId,
      role: leg.role,
      path,
      sampleRateHz: leg.sampleRateHz,
      durationMs: Math.round((pcm.length / leg.sampleRateHz) * 1000),
      bytes: wav.byteLength,
      sha256: createHash('sha256').update(wav).digest('hex'),
    });
  }
  const transcript = { callId: call.callId, agentId: call.agentId, startedAtMs: call.startedAtMs, utterances: deps.store.finals(call.callId) };
  await writeAtomic(join(archiveDir, 'transcript.json'), JSON.stringify(transcript, null, 2));
  await writeAtomic(join(archiveDir, 'events.jsonl'), deps.store.events(call.callId).map((e) => JSON.stringify(e)).join('\n') + '\n');
  deps.store.markArchived(call.callId, archiveDir, recordings);
  for (const leg of data.legs) await rm(leg.spoolPath, { force: true });
  return { callId: call.callId, archiveDir, recordings };
}

async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_');
}
