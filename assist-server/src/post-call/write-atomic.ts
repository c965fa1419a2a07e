import { rename, writeFile } from 'node:fs/promises';

/** Writes a file under a temp name, then renames it: a reader never sees half a file, a rerun overwrites. */
export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}
