/**
 * Step "encode": a lossless FLAC copy of each leg's redacted recording (`<role>.flac`, about half the
 * size of the WAV for speech), made with sox, both legs at once, off the event loop (child processes).
 * The WAV stays: it is what the reviewer's player streams (byte ranges). Where sox is missing the step
 * records that and the archive keeps the WAV only (it never fails the pipeline for a copy).
 */
import { spawn } from 'node:child_process';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { RecordingRecord } from '../store/call-store.ts';

export interface EncodeResult {
  flac: Array<{ role: string; file: string }>;
  skipped?: string;
}

export async function encodeFlac(recordings: RecordingRecord[], archiveDir: string, logger: Logger, soxBin = 'sox'): Promise<EncodeResult> {
  try {
    const flac = await Promise.all(
      recordings.map(async (r) => {
        const file = `${r.role}.flac`;
        const tmp = join(archiveDir, `${file}.tmp-${process.pid}`);
        try {
          await run(soxBin, [r.path, '-t', 'flac', tmp]);
          await rename(tmp, join(archiveDir, file));
        } finally {
          await rm(tmp, { force: true });
        }
        return { role: r.role, file };
      }),
    );
    return { flac };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code !== 'ENOENT') throw err;
    logger.warn({ soxBin }, 'sox not found: archived recordings are kept as WAV only (no FLAC copy)');
    return { flac: [], skipped: `${soxBin} not found` };
  }
}

function run(bin: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${bin} exited with ${code}: ${stderr.trim()}`))));
  });
}
