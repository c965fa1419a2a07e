/**
 * Checks an archived call against its integrity record: the manifest's hash must equal the one in
 * the database (and manifest.sha256), every listed file must exist with its size and sha256, and no
 * file may have been added to the archive dir. Returns every problem, each naming its file.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArchiveRecord } from '../store/post-call-store.ts';
import { MANIFEST_FILE, MANIFEST_HASH_FILE, sha256File, sha256Text, type IntegrityManifest } from './integrity-manifest.ts';

export interface VerifyProblem {
  callId: string;
  /** Path of the file that failed. */
  file: string;
  problem: 'missing' | 'modified' | 'unexpected' | 'manifest-modified' | 'manifest-mismatch';
}

export async function verifyArchive(record: ArchiveRecord): Promise<VerifyProblem[]> {
  const { callId, archiveDir } = record;
  const at = (file: string) => join(archiveDir, file);
  const manifestPath = at(MANIFEST_FILE);
  if (!existsSync(manifestPath)) return [{ callId, file: manifestPath, problem: 'missing' }];
  const json = await readFile(manifestPath, 'utf8');
  const problems: VerifyProblem[] = [];
  if (sha256Text(json) !== record.manifestSha256) problems.push({ callId, file: manifestPath, problem: 'manifest-modified' });
  const sidecar = existsSync(at(MANIFEST_HASH_FILE)) ? (await readFile(at(MANIFEST_HASH_FILE), 'utf8')).split(/\s+/)[0] : undefined;
  if (sidecar !== record.manifestSha256) problems.push({ callId, file: at(MANIFEST_HASH_FILE), problem: 'manifest-mismatch' });
  // The files are checked against the database's copy of the manifest: an edited manifest.json cannot vouch for an edited file.
  const manifest = JSON.parse(record.manifestJson) as IntegrityManifest;
  for (const entry of manifest.files) {
    const path = at(entry.file);
    if (!existsSync(path)) problems.push({ callId, file: path, problem: 'missing' });
    else if ((await stat(path)).size !== entry.bytes || (await sha256File(path)) !== entry.sha256) problems.push({ callId, file: path, problem: 'modified' });
  }
  const listed = new Set(manifest.files.map((f) => f.file));
  for (const name of await readdir(archiveDir)) {
    if (name === MANIFEST_FILE || name === MANIFEST_HASH_FILE || name.includes('.tmp-') || listed.has(name)) continue;
    problems.push({ callId, file: at(name), problem: 'unexpected' });
  }
  return problems;
}
