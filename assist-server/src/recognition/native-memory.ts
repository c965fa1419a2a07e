/**
 * Gives memory that native decoders freed back to the OS. A PocketSphinx decoder holds about 95 MB of
 * models, allocated on libuv threads; after ps_free, glibc keeps the pages in its per-thread arenas.
 * Measured here: creating, using and freeing 8 decoders left the process at about 1.07 GB RSS
 * (it started at 0.08), and a 30-minute soak of 8-call waves (8 decoders above the warm pool loaded
 * and freed each wave) grew the node by 689 MB an hour. `malloc_trim(0)` after each free keeps the
 * same churn at 72-96 MB. glibc only (Debian/Ubuntu); elsewhere this does nothing.
 */
import koffi, { type LibraryHandle } from 'koffi';

type Trim = ReturnType<LibraryHandle['func']>;

let trim: Trim | null | undefined;

function mallocTrim(): Trim | null {
  if (trim === undefined) {
    try {
      trim = koffi.load('libc.so.6').func('int malloc_trim(size_t pad)');
    } catch {
      trim = null;
    }
  }
  return trim;
}

/** Runs malloc_trim(0) on the libuv threadpool (it walks every arena); resolves when done, never rejects. */
export function returnFreedMemory(): Promise<void> {
  const fn = mallocTrim();
  if (!fn) return Promise.resolve();
  return new Promise<void>((resolve) => fn.async(0, () => resolve()));
}
