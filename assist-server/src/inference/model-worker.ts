/**
 * Model inference off the event loop: a worker thread that loads models once and answers calls
 * (`call(method, payload)`), one at a time in arrival order. If the worker dies, pending calls
 * fail with a clear error and the next call starts a fresh worker.
 *
 *   main thread ── {id, method, payload} ──▶ worker (serveModelWorker handlers)
 *               ◀── {id, result | error} ───
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';

export interface ModelWorkerOptions {
  /** file: URL of the TypeScript module that calls serveModelWorker(). */
  module: URL;
  /** Passed to the worker module as workerData.init. */
  init: unknown;
  logger: Logger;
}

type Reply = { type: 'ready'; info: unknown } | { type: 'result'; id: number; result: unknown } | { type: 'error'; id?: number; message: string };

export class ModelWorkerError extends Error {
  readonly code = 'EARPIECE_MODEL_WORKER';
}

export class ModelWorker<Info = unknown> {
  private worker: Worker | undefined;
  private ready: Promise<Info> | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private closed = false;

  constructor(private readonly options: ModelWorkerOptions) {}

  /** Starts the worker (if needed) and resolves with what it reported once its models loaded. */
  start(): Promise<Info> {
    if (this.closed) return Promise.reject(new ModelWorkerError('model worker is closed'));
    if (this.ready) return this.ready;
    const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: { module: this.options.module.href, init: this.options.init } });
    this.worker = worker;
    this.ready = new Promise<Info>((resolve, reject) => {
      worker.on('message', (msg: Reply) => {
        if (msg.type === 'ready') return resolve(msg.info as Info);
        const p = msg.id === undefined ? undefined : this.pending.get(msg.id);
        if (msg.type === 'error' && msg.id === undefined) return reject(new ModelWorkerError(msg.message));
        if (!p) return;
        this.pending.delete(msg.id!);
        if (msg.type === 'result') p.resolve(msg.result);
        else p.reject(new ModelWorkerError(msg.message));
      });
      const died = (why: string) => {
        reject(new ModelWorkerError(why));
        for (const p of this.pending.values()) p.reject(new ModelWorkerError(why));
        this.pending.clear();
        if (this.worker === worker) (this.worker = undefined), (this.ready = undefined);
        if (!this.closed) this.options.logger.error({ why }, 'model worker stopped; the next request starts a new one');
      };
      worker.on('error', (err) => died(`model worker failed: ${err.message}`));
      worker.on('exit', (code) => died(`model worker exited (code ${code})`));
    });
    return this.ready;
  }

  async call<T>(method: string, payload: unknown): Promise<T> {
    await this.start();
    const worker = this.worker;
    if (!worker) throw new ModelWorkerError('model worker is not running');
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, method, payload });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}
