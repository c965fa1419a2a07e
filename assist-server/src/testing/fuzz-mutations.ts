/**
 * Input generators for the fuzz harnesses (fuzz-harness.ts): valid samples mutated the way a broken
 * or hostile peer would (bit flips, cut and duplicated ranges, truncation, pieces spliced from other
 * samples, dictionary tokens such as `\r\n\r\n` or `Content-Length: 99999`, whole lines dropped,
 * repeated, swapped or rewritten), mixed with plain random bytes.
 */
import fc from 'fast-check';

type ByteOp =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'set'; at: number; byte: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'token'; at: number; token: number }
  | { op: 'delete'; at: number; len: number }
  | { op: 'repeat'; at: number; len: number; times: number }
  | { op: 'truncate'; at: number }
  | { op: 'splice'; at: number; seed: number; from: number; len: number };

const INTERESTING = [0x00, 0x01, 0x0a, 0x0d, 0x20, 0x22, 0x25, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x7f, 0x80, 0xfe, 0xff];

function byteOp(tokens: number, seeds: number): fc.Arbitrary<ByteOp> {
  const at = fc.nat();
  return fc.oneof(
    fc.record({ op: fc.constant('flip' as const), at, bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ op: fc.constant('set' as const), at, byte: fc.oneof(fc.constantFrom(...INTERESTING), fc.integer({ min: 0, max: 255 })) }),
    fc.record({ op: fc.constant('insert' as const), at, bytes: fc.uint8Array({ minLength: 1, maxLength: 24 }) }),
    ...(tokens > 0 ? [fc.record({ op: fc.constant('token' as const), at, token: fc.nat({ max: tokens - 1 }) })] : []),
    fc.record({ op: fc.constant('delete' as const), at, len: fc.integer({ min: 1, max: 64 }) }),
    fc.record({ op: fc.constant('repeat' as const), at, len: fc.integer({ min: 1, max: 32 }), times: fc.integer({ min: 2, max: 40 }) }),
    fc.record({ op: fc.constant('truncate' as const), at }),
    fc.record({ op: fc.constant('splice' as const), at, seed: fc.nat({ max: seeds - 1 }), from: fc.nat(), len: fc.integer({ min: 1, max: 128 }) }),
  );
}

function applyByteOp(buf: Buffer, o: ByteOp, tokens: readonly Buffer[], seeds: readonly Uint8Array[]): Buffer {
  const at = o.at % (buf.length + 1);
  switch (o.op) {
    case 'flip':
      if (buf.length === 0) return buf;
      buf[at % buf.length]! ^= 1 << o.bit;
      return buf;
    case 'set':
      if (buf.length === 0) return Buffer.from([o.byte]);
      buf[at % buf.length] = o.byte;
      return buf;
    case 'insert':
      return Buffer.concat([buf.subarray(0, at), o.bytes, buf.subarray(at)]);
    case 'token':
      return Buffer.concat([buf.subarray(0, at), tokens[o.token]!, buf.subarray(at)]);
    case 'delete':
      return Buffer.concat([buf.subarray(0, at), buf.subarray(at + o.len)]);
    case 'repeat': {
      const piece = buf.subarray(at, at + o.len);
      return Buffer.concat([buf.subarray(0, at), ...Array<Buffer>(o.times).fill(piece), buf.subarray(at)]);
    }
    case 'truncate':
      return buf.subarray(0, at);
    case 'splice': {
      const other = seeds[o.seed]!;
      const from = o.from % (other.length + 1);
      return Buffer.concat([buf.subarray(0, at), other.subarray(from, from + o.len), buf.subarray(at)]);
    }
  }
}

export interface MutationOptions {
  /** Strings worth inserting (delimiters, headers, huge numbers). */
  dictionary?: readonly string[];
  /** Mutations applied to one sample: 1..maxOps. Default 4. */
  maxOps?: number;
}

/** A sample from `seeds` with 1..maxOps byte-level mutations. */
export function mutatedBytes(seeds: readonly Uint8Array[], options: MutationOptions = {}): fc.Arbitrary<Buffer> {
  const tokens = (options.dictionary ?? []).map((s) => Buffer.from(s, 'latin1'));
  return fc
    .tuple(fc.nat({ max: seeds.length - 1 }), fc.array(byteOp(tokens.length, seeds.length), { minLength: 1, maxLength: options.maxOps ?? 4 }))
    .map(([i, ops]) => ops.reduce<Buffer>((buf, o) => applyByteOp(buf, o, tokens, seeds), Buffer.from(seeds[i]!)));
}

type LineOp =
  | { op: 'drop'; at: number }
  | { op: 'repeat'; at: number; times: number }
  | { op: 'swap'; at: number; with: number }
  | { op: 'token'; at: number; token: number }
  | { op: 'value'; at: number; value: string }
  | { op: 'cut'; at: number; keep: number };

function lineOp(tokens: number): fc.Arbitrary<LineOp> {
  const at = fc.nat();
  return fc.oneof(
    fc.record({ op: fc.constant('drop' as const), at }),
    fc.record({ op: fc.constant('repeat' as const), at, times: fc.integer({ min: 2, max: 50 }) }),
    fc.record({ op: fc.constant('swap' as const), at, with: fc.nat() }),
    ...(tokens > 0 ? [fc.record({ op: fc.constant('token' as const), at, token: fc.nat({ max: tokens - 1 }) })] : []),
    fc.record({ op: fc.constant('value' as const), at, value: fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('', '-1', '4294967296', '99999999999', '%', '<', '"', '0.0.0.0', '::')) }),
    fc.record({ op: fc.constant('cut'as const), at, keep: fc.nat() }),
  );
}

function applyLineOp(lines: string[], o: LineOp, tokens: readonly string[]): string[] {
  if (lines.length === 0) return lines;
  const i = o.at % lines.length;
  const out = [...lines];
  switch (o.op) {
    case 'drop':
      out.splice(i, 1);
      break;
    case 'repeat':
      out.splice(i, 0, ...Array<string>(o.times - 1).fill(out[i]!));
      break;
    case 'swap': {
      const j = o.with % out.length;
      [out[i], out[j]] = [out[j]!, out[i]!];
      break;
    }
    case 'token':
      out.splice(i, 0, tokens[o.token]!);
      break;
    case 'value': {
      // Rewrite what follows the first ':' or '=' (a header's or an SDP line's value), else the whole line.
      const line = out[i]!;
      const cut = line.search(/[:=]/);
      out[i] = cut < 0 ? o.value : line.slice(0, cut + 1) + o.value;
      break;
    }
    case 'cut':
      out[i] = out[i]!.slice(0, o.keep % (out[i]!.length + 1));
      break;
  }
  return out;
}

/**
 * A line-oriented sample (SIP, SDP, XML) with 1..maxOps line mutations, joined with the sample's
 * own line ending (CRLF or LF) or, sometimes, the other one.
 */
export function mutatedLines(seeds: readonly string[], options: MutationOptions = {}): fc.Arbitrary<Buffer> {
  const tokens = options.dictionary ?? [];
  return fc
    .tuple(fc.nat({ max: seeds.length - 1 }), fc.array(lineOp(tokens.length), { minLength: 1, maxLength: options.maxOps ?? 4 }), fc.constantFrom('own', 'own', 'own', 'lf', 'crlf'))
    .map(([i, ops, ending]) => {
      const seed = seeds[i]!;
      const eol = ending === 'lf' ? '\n' : ending === 'crlf' ? '\r\n' : seed.includes('\r\n') ? '\r\n' : '\n';
      const lines = ops.reduce((ls, o) => applyLineOp(ls, o, tokens), seed.split(/\r?\n/));
      return Buffer.from(lines.join(eol), 'latin1');
    });
}

/**
 * The usual mix for a parser: mostly mutated samples (line- and byte-level, sometimes both), some
 * untouched samples, some random bytes.
 */
export function fuzzInput(seeds: readonly (string | Uint8Array)[], options: MutationOptions & { lines?: boolean; maxRandomBytes?: number } = {}): fc.Arbitrary<Buffer> {
  const bytes = seeds.map((s) => (typeof s === 'string' ? Buffer.from(s, 'latin1') : s));
  const texts = seeds.map((s) => (typeof s === 'string' ? s : Buffer.from(s).toString('latin1')));
  const arbitraries: Array<fc.WeightedArbitrary<Buffer>> = [
    { weight: 4, arbitrary: mutatedBytes(bytes, options) },
    { weight: 1, arbitrary: fc.constantFrom(...bytes.map((b) => Buffer.from(b))) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: options.maxRandomBytes ?? 512 }).map((a) => Buffer.from(a)) },
  ];
  if (options.lines) {
    arbitraries.push({ weight: 4, arbitrary: mutatedLines(texts, options) });
    arbitraries.push({
      weight: 2,
      arbitrary: mutatedLines(texts, options).chain((b) => mutatedBytes([b], { ...options, maxOps: 2 })),
    });
  }
  return fc.oneof(...arbitraries);
}

/** Splits `buf` at the given cut points (as a TCP stream may deliver it). */
export function splitAt(buf: Uint8Array, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    out.push(Buffer.from(buf.subarray(from, p)));
    from = p;
  }
  out.push(Buffer.from(buf.subarray(from)));
  return out.filter((b) => b.length > 0);
}

/** Cut points for splitAt. */
export const cutPoints = (): fc.Arbitrary<number[]> => fc.array(fc.nat(), { maxLength: 12 });

/**
 * JSON objects from valid samples with fields replaced by any JSON value, removed or added
 * (prototype keys such as `__proto__` included, set as own properties like JSON.parse does).
 */
export function mutatedJson(samples: readonly Record<string, unknown>[], keys: readonly string[] = []): fc.Arbitrary<unknown> {
  const known = [...new Set([...samples.flatMap((s) => Object.keys(s)), ...keys, '__proto__', 'constructor', 'toString'])];
  const key = fc.oneof(fc.constantFrom(...known), fc.string({ maxLength: 8 }));
  const edit = fc.oneof(
    fc.record({ set: key, value: fc.jsonValue({ maxDepth: 3 }) }),
    fc.record({ drop: key }),
    fc.record({ nested: key, inner: fc.string({ maxLength: 12 }), value: fc.jsonValue({ maxDepth: 1 }) }),
  );
  return fc.tuple(fc.constantFrom(...samples), fc.array(edit, { minLength: 1, maxLength: 3 })).map(([sample, edits]) => {
    const m = structuredClone(sample) as Record<string, unknown>;
    for (const e of edits) {
      if ('set' in e) Object.defineProperty(m, e.set, { value: e.value, enumerable: true, configurable: true, writable: true });
      else if ('drop' in e) delete m[e.drop];
      else {
        // Own properties only: m['__proto__'] is Object.prototype, which a fuzz case must never write to.
        const target = Object.hasOwn(m, e.nested) ? m[e.nested] : undefined;
        const inner = Array.isArray(target) ? (Object.hasOwn(target, 0) ? target[0] : undefined) : target;
        if (inner && typeof inner === 'object') Object.defineProperty(inner, e.inner, { value: e.value, enumerable: true, configurable: true, writable: true });
      }
    }
    return m;
  });
}
