/**
 * SIP digest authentication (RFC 3261 §22.4 with RFC 2617 qop=auth; RFC 8760 SHA-256 as an
 * option). Nonces are stateless: a timestamp signed with a per-process HMAC key, valid for
 * `nonceTtlS`; a stale nonce gets a new challenge with `stale=true`.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type DigestAlgorithm = 'MD5' | 'SHA-256';

export interface DigestAuthOptions {
  realm: string;
  /** username → password; a user not listed is refused. */
  users: Readonly<Record<string, string>>;
  /** Algorithms offered, strongest first; default ['MD5'] (what most PBXs and SIPp speak). */
  algorithms?: DigestAlgorithm[];
  nonceTtlS?: number;
}

export type DigestResult = { ok: true; username: string } | { ok: false; challenge: string[]; reason: 'missing' | 'stale' | 'bad' };

export class DigestAuth {
  readonly #key = randomBytes(32);
  readonly #algorithms: DigestAlgorithm[];

  constructor(private readonly options: DigestAuthOptions) {
    this.#algorithms = options.algorithms ?? ['MD5'];
  }

  /** WWW-Authenticate values for a 401, one per algorithm. */
  challenge(stale = false): string[] {
    const nonce = this.#nonce();
    return this.#algorithms.map((alg) => `Digest realm="${this.options.realm}", nonce="${nonce}", algorithm=${alg}, qop="auth"${stale ? ', stale=true' : ''}`);
  }

  /** Checks a request's Authorization header value(s). */
  verify(method: string, authorization: string | undefined): DigestResult {
    if (!authorization || !/^\s*digest\s/i.test(authorization)) return { ok: false, challenge: this.challenge(), reason: 'missing' };
    const p = parseAuthParams(authorization.replace(/^\s*digest\s+/i, ''));
    const username = p.get('username') ?? '';
    const password = Object.hasOwn(this.options.users, username) ? this.options.users[username] : undefined;
    const algorithm = (p.get('algorithm') ?? 'MD5').toUpperCase() as DigestAlgorithm;
    const nonce = p.get('nonce') ?? '';
    if (password === undefined || p.get('realm') !== this.options.realm || !this.#algorithms.includes(algorithm)) {
      return { ok: false, challenge: this.challenge(), reason: 'bad' };
    }
    const nonceState = this.#checkNonce(nonce);
    if (nonceState === 'bad') return { ok: false, challenge: this.challenge(), reason: 'bad' };
    const h = (text: string) => createHash(algorithm === 'MD5' ? 'md5' : 'sha256').update(text).digest('hex');
    const ha1 = h(`${username}:${this.options.realm}:${password}`);
    const ha2 = h(`${method}:${p.get('uri') ?? ''}`);
    const qop = p.get('qop');
    const expected = qop === 'auth' ? h(`${ha1}:${nonce}:${p.get('nc') ?? ''}:${p.get('cnonce') ?? ''}:auth:${ha2}`) : h(`${ha1}:${nonce}:${ha2}`);
    const given = Buffer.from((p.get('response') ?? '').toLowerCase());
    if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) return { ok: false, challenge: this.challenge(), reason: 'bad' };
    if (nonceState === 'stale') return { ok: false, challenge: this.challenge(true), reason: 'stale' };
    return { ok: true, username };
  }

  #nonce(now = Date.now()): string {
    const ts = now.toString(36);
    return `${ts}.${createHmac('sha256', this.#key).update(ts).digest('base64url').slice(0, 22)}`;
  }

  #checkNonce(nonce: string): 'ok' | 'stale' | 'bad' {
    const [ts] = nonce.split('.');
    if (!ts || this.#nonce(parseInt(ts, 36)) !== nonce) return 'bad';
    return Date.now() - parseInt(ts, 36) > (this.options.nonceTtlS ?? 300) * 1000 ? 'stale' : 'ok';
  }
}

/** `a="x, y", b=z` → Map (commas inside quotes kept). */
function parseAuthParams(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /\s*([A-Za-z0-9_-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,]*)\s*,?/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const raw = m[2]!.trim();
    out.set(m[1]!.toLowerCase(), raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw);
  }
  return out;
}
