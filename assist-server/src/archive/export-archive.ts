/**
 * Export of an archived call for a legal request: its transcript, events, metadata, summary,
 * recordings and integrity manifest copied to a folder, after the archive is verified (a tampered
 * archive is not exported), and audited as `call.exported` with who asked.
 */
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditLog } from '../store/audit-log.ts';
import type { PostCallStore } from '../store/post-call-store.ts';
import { verifyArchive, type VerifyProblem } from './verify-archive.ts';

export class ArchiveExportError extends Error {
  constructor(
    message: string,
    readonly problems: VerifyProblem[] = [],
  ) {
    super(message);
  }
}

/** Copies the call's archive to `outDir`; returns the files copied. */
export async function exportArchive(deps: { calls: PostCallStore; audit: AuditLog }, callId: string, outDir: string, actor: string): Promise<string[]> {
  const record = await deps.calls.archive(callId);
  if (!record) throw new ArchiveExportError(`call ${callId} has no sealed archive (not archived yet, or purged)`);
  const problems = await verifyArchive(record);
  if (problems.length) throw new ArchiveExportError(`call ${callId} fails verification: ${problems.map((p) => `${p.file} (${p.problem})`).join(', ')}`, problems);
  await mkdir(outDir, { recursive: true });
  const files = (await readdir(record.archiveDir)).filter((f) => !f.includes('.tmp-')).sort();
  for (const f of files) await copyFile(join(record.archiveDir, f), join(outDir, f));
  await deps.audit.record({ actor, action: 'call.exported', callId, detail: { outDir, files, manifestSha256: record.manifestSha256 } });
  return files;
}
