/**
 * The caller key: a stable, non-reversible handle on a caller's number, so a new call can find the
 * caller's earlier calls without the number being stored anywhere. HMAC-SHA256 of the number's
 * digits under a site secret: without the secret, a key cannot be turned back into a number by
 * hashing every possible number (a plain hash of a phone number can).
 *
 * The secret is EARPIECE_CALLER_KEY_SECRET when set (share it between nodes of one site, so they
 * agree on keys); otherwise one is made on first start and kept in the data dir
 * (`caller-key.secret`, mode 0600). Changing or losing the secret cuts every caller off from
 * their earlier calls (nothing else breaks).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Fewer digits than this is not a phone number (withheld, "anonymous", an extension): no key. */
export const MIN_CALLER_DIGITS = 5;
export const CALLER_KEY_SECRET_FILE = 'caller-key.secret';

/**
 * The digits that identify a number: everything but digits dropped, and a leading international
 * `00` read as `+` (so `+44 20 7123 4567` and `0044 20 7123 4567` agree). National and
 * international forms of one number (`020 …` vs `+44 20 …`) stay different: mapping them needs a
 * numbering plan, which a bridge's E.164 numbers make unnecessary.
 */
export function normalizeCallerDigits(number: string): string | null {
  let digits = number.replace(/\D/g, '');
  if (digits.startsWith('00')) digits = digits.slice(2);
  return digits.length >= MIN_CALLER_DIGITS ? digits : null;
}

export type CallerKeyFn = (callerNumber: string) => string | null;

/** A keying function for one site secret; null for numbers that are not numbers. */
export function callerKeyer(secret: Buffer): CallerKeyFn {
  if (secret.length < 16) throw new Error('the caller key secret must be at least 16 bytes');
  return (number) => {
    const digits = normalizeCallerDigits(number);
    return digits === null ? null : createHmac('sha256', secret).update(digits).digest('hex');
  };
}

/**
 * The site secret: the configured one (any text of at least 16 characters), else the one in the
 * data dir, made there on first start. Two nodes starting at once on one data dir agree (the
 * file is linked into place exclusively; the loser reads the winner's).
 */
export function loadCallerKeySecret(configured: string | undefined, dataDir: string): Buffer {
  if (configured !== undefined) {
    const secret = Buffer.from(configured, 'utf8');
    if (secret.length < 16) throw new Error('EARPIECE_CALLER_KEY_SECRET must be at least 16 characters');
    return secret;
  }
  const path = join(dataDir, CALLER_KEY_SECRET_FILE);
  mkdirSync(dirname(path), { recursive: true });
  // written whole to a private file, then linked into place: a reader never sees a half-written secret
  if (!existsSync(path)) {
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    try {
      linkSync(tmp, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      rmSync(tmp, { force: true });
    }
  }
  const text = readFileSync(path, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(text)) throw new Error(`${path} is not a caller key secret (64 hex characters); remove it to make a new one (earlier callers lose their history)`);
  return Buffer.from(text, 'hex');
}
