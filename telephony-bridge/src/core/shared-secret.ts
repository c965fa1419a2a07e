/** Shared-secret checks for the AudioSocket and WebSocket sources: constant-time, any length. */
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * True when `given` equals `expected`. Both are hashed first so the comparison takes the same
 * time whatever their lengths or contents (timingSafeEqual needs equal lengths).
 */
export function secretMatches(expected: string, given: string | Uint8Array | undefined): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(typeof given === 'string' ? Buffer.from(given, 'utf8') : given).digest();
  return timingSafeEqual(a, b);
}
