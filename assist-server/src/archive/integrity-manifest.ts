/**
 * Integrity manifest of an archived call: the sha256 and size of every file in its archive dir
 * (recordings, transcript, events, metadata, summary, encrypted originals), and one sha256 over the
 * manifest's own bytes. The manifest is written as manifest.json (its hash in manifest.sha256) and
 * the hash is also stored in the database (call_archives), so a changed file, a changed manifest or a
 * replaced pair of both is caught by `earpiece archive verify`.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeAtomic } from '../post-call/write-atomic.ts';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_HASH_FILE = 'manifest.sha256';

export interface ManifestEntry {
  file: string;
  bytes: number;
  sha256: string;
}

export interface IntegrityManifest {
  version: 1;
  callId: string;
  algorithm: 'sha256';
  files: ManifestEntry[];
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export const sha256Text = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The archive's files the manifest covers (everything but the manifest itself and temp files), sorted. */
async function archivedFiles(archiveDir: string): Promise<string[]> {
  const names = await readdir(archiveDir);
  return names.filter((n) => n !== MANIFEST_FILE && n !== MANIFEST_HASH_FILE && !n.includes('.tmp-')).sort();
}

/** Hashes the archive dir and writes manifest.json + manifest.sha256; returns the manifest text and its hash. */
export async function sealArchive(callId: string, archiveDir: string): Promise<{ manifest: IntegrityManifest; json: string; sha256: string }> {
  const files: ManifestEntry[] = [];
  for (const file of await archivedFiles(archiveDir)) {
    const path = join(archiveDir, file);
    files.push({ file, bytes: (await stat(path)).size, sha256: await sha256File(path) });
  }
  const manifest: IntegrityManifest = { version: 1, callId, algorithm: 'sha256', files };
  const json = JSON.stringify(manifest, null, 2) + '\n';
  const sha256 = sha256Text(json);
  await writeAtomic(join(archiveDir, MANIFEST_FILE), json);
  await writeAtomic(join(archiveDir, MANIFEST_HASH_FILE), `${sha256}  ${MANIFEST_FILE}\n`);
  return { manifest, json, sha256 };
}
