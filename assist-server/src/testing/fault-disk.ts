/**
 * Fault tests' full disk: a small tmpfs mounted on a fresh directory (needs root, or CAP_SYS_ADMIN),
 * used as a node's data directory; fill() writes a filler file until the file system reports ENOSPC,
 * free() deletes it. Where mounting is not permitted, mountTinyDisk says why (the caller skips).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TinyDisk {
  /** The mount point: an empty directory on its own small file system. */
  dir: string;
  /** Fills the file system to the last byte. */
  fill(): Promise<void>;
  /** Deletes what fill() wrote. */
  free(): Promise<void>;
  /** Unmounts and removes the mount point. */
  close(): Promise<void>;
}

export async function mountTinyDisk(sizeMb: number): Promise<TinyDisk | { unavailable: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ep-fault-disk-'));
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0755`, 'tmpfs', dir]);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    return { unavailable: `cannot mount a tmpfs (${(err as Error).message.trim().split('\n').pop()})` };
  }
  const filler = join(dir, 'filler.bin');
  return {
    dir,
    async fill() {
      const file = await open(filler, 'a');
      try {
        for (let chunk = 1 << 20; chunk >= 512; ) {
          try {
            await file.write(Buffer.alloc(chunk));
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
            chunk >>= 1; // finish the last blocks in smaller writes
          }
        }
      } finally {
        await file.close();
      }
    },
    async free() {
      await rm(filler, { force: true });
    },
    async close() {
      await run('umount', ['-l', dir]).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
