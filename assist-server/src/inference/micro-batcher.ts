/**
 * Collects requests from every live call for a short window (or until a batch is full) and runs
 * them as one model call: on a GPU one batch of 32 costs about what one utterance does, so this is
 * what makes batching pay off. Each caller gets its own result back.
 */
export interface MicroBatcherOptions<I, O> {
  /** How long the first request of a batch waits for company, ms. 0 = next tick. */
  windowMs: number;
  maxBatch: number;
  /** Runs one batch; must return one output per input, in order. */
  run: (inputs: I[]) => Promise<O[]>;
}

interface Pending<I, O> {
  input: I;
  resolve: (o: O) => void;
  reject: (e: Error) => void;
}

export class MicroBatcher<I, O> {
  private queue: Array<Pending<I, O>> = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Batches run and items in them so far (mean batch size = items / batches). */
  readonly stats = { batches: 0, items: 0 };

  constructor(private readonly options: MicroBatcherOptions<I, O>) {}

  submit(input: I): Promise<O> {
    if (this.closed) return Promise.reject(new Error('micro-batcher is closed'));
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (this.queue.length >= this.options.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.windowMs);
    });
  }

  /** Runs what is queued now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.stats.batches += 1;
      this.stats.items += batch.length;
      this.options.run(batch.map((p) => p.input)).then(
        (outputs) => {
          if (outputs.length !== batch.length) throw new Error(`batch of ${batch.length} returned ${outputs.length} results`);
          batch.forEach((p, i) => p.resolve(outputs[i]!));
        },
        (err: Error) => batch.forEach((p) => p.reject(err)),
      ).catch((err: Error) => batch.forEach((p) => p.reject(err)));
    }
  }

  /** Rejects nothing already queued: runs it, then refuses new work. */
  close(): void {
    this.flush();
    this.closed = true;
  }
}
