/**
 * Runs a fast-check property as a fuzz harness with the three checks every harness makes:
 *   - no escaping throw: the property's own assertions (a parser must return or throw its typed error);
 *   - no hang: every case must finish within a per-case bound (sync: measured; async: raced);
 *   - no unbounded heap: heap used after a forced GC must not grow over the second half of the run
 *     by more than a bound (nor over the whole run by more than four times it);
 *   - Object.prototype is not polluted by the run.
 *
 * Case counts: a short count in CI; `EARPIECE_SOAK=1` (a test-only switch, read here rather than through
 * config.ts, like every soak test) runs at least 100,000 cases per harness (`npm run test:soak`).
 * Each run reports `{ fuzz, runs, ms, maxCaseMs, heapStartMb, heapMidMb, heapEndMb }` as a test diagnostic.
 */
import fc from 'fast-check';
import type { TestContext } from 'node:test';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const FUZZ_SOAK = process.env['EARPIECE_SOAK'] === '1';
/** Cases per harness with EARPIECE_SOAK=1. */
export const SOAK_RUNS = 100_000;

/** How many cases a harness runs: `shortRuns` in CI, at least SOAK_RUNS in soak mode. */
export function fuzzRuns(shortRuns: number, soakRuns = SOAK_RUNS): number {
  return FUZZ_SOAK ? Math.max(soakRuns, shortRuns) : shortRuns;
}

let gc: (() => void) | undefined;

/** Heap used (bytes) after a full GC; the GC is reached without `--expose-gc` on the command line. */
export function heapAfterGc(): number {
  if (!gc) {
    const own = (globalThis as { gc?: () => void }).gc;
    if (typeof own === 'function') gc = own;
    else {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    }
  }
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

export interface FuzzOptions {
  /** Cases in CI (short mode). */
  shortRuns: number;
  /** Cases with EARPIECE_SOAK=1 (default 100,000). */
  soakRuns?: number;
  /** A case slower than this fails (a hang or catastrophic backtracking). Default 2000 ms: generous, the machine is shared. */
  maxCaseMs?: number;
  /**
   * Heap growth (after GC) allowed over the second half of the run, where caches and time windows
   * (retransmission memory, grace timers) have filled: growth there is growth without bound.
   * Default 32 MiB; the whole run may grow by four times this.
   */
  maxHeapGrowthMb?: number;
  /** Fixed seed (reproduce a failure); default random, printed by fast-check on failure. */
  seed?: number;
}

export interface FuzzReport {
  fuzz: string;
  runs: number;
  ms: number;
  maxCaseMs: number;
  heapStartMb: number;
  heapMidMb: number;
  heapEndMb: number;
}

/** fast-check 4 keeps the failing case's error as `cause`, which node:test does not print: put it in the message. */
function explain(err: unknown): Error {
  const e = err as Error;
  const cause = e.cause as Error | undefined;
  const text = e.message.length > 4000 ? `${e.message.slice(0, 4000)}… (counterexample cut)` : e.message;
  return new Error(`${text}\nThe case failed with: ${cause?.stack ?? String(cause)}`);
}

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

/**
 * What every harness keeps while it runs, sync or async: the case count, the heap samples (start,
 * after GC at the half, end) and the slowest case; `finish` makes the end-of-run checks and the report.
 */
class FuzzRun {
  readonly runs: number;
  readonly boundMs: number;
  readonly #heapStart = heapAfterGc();
  readonly #t0 = performance.now();
  #heapMid = this.#heapStart;
  #maxCase = 0;
  #cases = 0;

  constructor(readonly name: string, readonly options: FuzzOptions, defaultBoundMs: number) {
    this.runs = fuzzRuns(options.shortRuns, options.soakRuns);
    this.boundMs = options.maxCaseMs ?? defaultBoundMs;
  }

  /** At the start of a case: samples the heap once, at the half of the run (before the case's clock starts); returns that clock. */
  beginCase(): number {
    if (++this.#cases === Math.ceil(this.runs / 2)) this.#heapMid = heapAfterGc();
    return performance.now();
  }

  /** At the end of a case started at `start`: its time in ms, kept if it is the slowest. */
  endCase(start: number): number {
    const took = performance.now() - start;
    if (took > this.#maxCase) this.#maxCase = took;
    return took;
  }

  finish(t: TestContext | undefined): FuzzReport {
    const { name, runs } = this;
    const polluted: string[] = [];
    for (const key in {}) polluted.push(key);
    if (polluted.length) throw new Error(`${name}: Object.prototype was polluted during the run (enumerable ${polluted.join(', ')})`);
    const heapStart = this.#heapStart;
    const heapMid = this.#heapMid;
    const heapEnd = heapAfterGc();
    const report: FuzzReport = { fuzz: name, runs, ms: Math.round(performance.now() - this.#t0), maxCaseMs: Math.round(this.#maxCase * 10) / 10, heapStartMb: mb(heapStart), heapMidMb: mb(heapMid), heapEndMb: mb(heapEnd) };
    t?.diagnostic(JSON.stringify(report));
    const limit = (this.options.maxHeapGrowthMb ?? 32) * 2 ** 20;
    if (heapEnd - heapMid > limit) throw new Error(`${name}: heap grew by ${mb(heapEnd - heapMid)} MiB over the second half of ${runs} cases (limit ${mb(limit)} MiB)`);
    if (heapEnd - heapStart > 4 * limit) throw new Error(`${name}: heap grew by ${mb(heapEnd - heapStart)} MiB over ${runs} cases (limit ${mb(4 * limit)} MiB)`);
    return report;
  }
}

/** A synchronous harness: `check` must return for every input (throwing fails the case); a case slower than the bound fails. */
export function fuzzSync<T>(t: TestContext | undefined, name: string, arbitrary: fc.Arbitrary<T>, check: (value: T) => void, options: FuzzOptions): FuzzReport {
  const run = new FuzzRun(name, options, 2000);
  const property = fc.property(arbitrary, (value) => {
    const start = run.beginCase();
    check(value);
    const took = run.endCase(start);
    if (took > run.boundMs) throw new Error(`${name}: one case took ${Math.round(took)} ms (bound ${run.boundMs} ms)`);
  });
  try {
    fc.assert(property, { numRuns: run.runs, seed: options.seed });
  } catch (err) {
    throw explain(err);
  }
  return run.finish(t);
}

/** An asynchronous harness: `check` must settle within the per-case bound for every input. */
export async function fuzzAsync<T>(t: TestContext | undefined, name: string, arbitrary: fc.Arbitrary<T>, check: (value: T) => Promise<void>, options: FuzzOptions): Promise<FuzzReport> {
  const run = new FuzzRun(name, options, 5000);
  const property = fc.asyncProperty(arbitrary, async (value) => {
    const start = run.beginCase();
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${name}: a case did not settle within ${run.boundMs} ms`)), run.boundMs);
    });
    try {
      await Promise.race([check(value), hang]);
    } finally {
      clearTimeout(timer);
    }
    run.endCase(start);
  });
  // A live system: the first failure is reported as it is (shrinking would replay it against changed state).
  await fc.assert(property, { numRuns: run.runs, seed: options.seed, endOnFailure: true }).catch((err: unknown) => {
    throw explain(err);
  });
  return run.finish(t);
}

/** Fails unless `fn` returns or throws an error that `isTyped` accepts (the parser's own error). */
export function returnsOrThrowsTyped<R>(fn: () => R, isTyped: (err: unknown) => boolean, what: string): R | undefined {
  try {
    return fn();
  } catch (err) {
    if (isTyped(err)) return undefined;
    const e = err as Error;
    throw new Error(`${what} threw an untyped ${e?.name ?? typeof err}: ${e?.message ?? String(err)}`, { cause: err });
  }
}
