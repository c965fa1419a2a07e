/**
 * A bounded, fair pool for decoder work. At most `slots` tasks run at once (each is one decoder
 * call: native work on the libuv threadpool through koffi `.async`, or a Vosk worker call).
 * Every stream (leg) has its own {@link DecodeLane}; a lane runs one task at a time in the order it
 * was given, and lanes take turns round-robin: a lane whose task just finished goes to the back of
 * the line, so a call that floods its lane cannot starve another (each waiting lane gets a slot
 * before any lane gets its second).
 */
import { performance } from 'node:perf_hooks';

/** What the pool reports about each task it ran (the load model listens). */
export interface TaskTiming {
  /** From the task's submission to its start, ms. */
  waitMs: number;
  /** From its start to its end (the time it held a slot), ms. */
  busyMs: number;
}

interface Task {
  fn: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  submittedAt: number;
  onDone?: ((timing: TaskTiming) => void) | undefined;
}

export class DecodeLane {
  /** @internal */ readonly pending: Task[] = [];
  /** @internal */ active = false;
  /** @internal */ queued = false;

  constructor(private readonly pool: DecodePool) {}

  /** Runs `fn` when this lane's turn comes; `onDone` gets its wait and busy time (also on failure). */
  run<T>(fn: () => Promise<T>, onDone?: (timing: TaskTiming) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, resolve: resolve as (v: unknown) => void, reject, submittedAt: performance.now(), onDone });
      this.pool.wake(this);
    });
  }

  /** Tasks waiting in this lane (not counting the running one). */
  get backlog(): number {
    return this.pending.length;
  }
}

export class DecodePool {
  readonly slots: number;
  private running = 0;
  /** Lanes with work and no task running, in turn order. */
  private readonly turns: DecodeLane[] = [];
  private readonly listeners: Array<(timing: TaskTiming) => void> = [];
  private peak = 0;

  constructor(slots: number) {
    if (!Number.isInteger(slots) || slots < 1) throw new RangeError(`a decode pool needs at least one slot (got ${slots})`);
    this.slots = slots;
  }

  lane(): DecodeLane {
    return new DecodeLane(this);
  }

  /** Called with every finished task's timing. */
  onTask(listener: (timing: TaskTiming) => void): void {
    this.listeners.push(listener);
  }

  /** Tasks running now (≤ slots). */
  get busySlots(): number {
    return this.running;
  }

  /** Most tasks that ever ran at once (≤ slots; the tests check the bound). */
  get peakBusySlots(): number {
    return this.peak;
  }

  /** Tasks waiting for a slot, over all lanes. */
  get queued(): number {
    let n = 0;
    for (const lane of this.turns) n += lane.pending.length;
    return n;
  }

  /** How long the oldest task waiting for a slot has waited, ms (0 when none waits). */
  oldestWaitingMs(now = performance.now()): number {
    let oldest = 0;
    for (const lane of this.turns) {
      const first = lane.pending[0];
      if (first) oldest = Math.max(oldest, now - first.submittedAt);
    }
    return oldest;
  }

  /** @internal A lane got work: it takes a turn unless it already has one or is running. */
  wake(lane: DecodeLane): void {
    if (!lane.active && !lane.queued) {
      lane.queued = true;
      this.turns.push(lane);
    }
    this.dispatch();
  }

  private dispatch(): void {
    while (this.running < this.slots && this.turns.length > 0) {
      const lane = this.turns.shift()!;
      lane.queued = false;
      const task = lane.pending.shift();
      if (!task) continue;
      lane.active = true;
      this.running++;
      this.peak = Math.max(this.peak, this.running);
      void this.execute(lane, task);
    }
  }

  private async execute(lane: DecodeLane, task: Task): Promise<void> {
    const started = performance.now();
    try {
      task.resolve(await task.fn());
    } catch (err) {
      task.reject(err);
    } finally {
      const timing = { waitMs: started - task.submittedAt, busyMs: performance.now() - started };
      this.running--;
      lane.active = false;
      if (lane.pending.length > 0) {
        lane.queued = true;
        this.turns.push(lane);
      }
      task.onDone?.(timing);
      for (const listener of this.listeners) listener(timing);
      this.dispatch();
    }
  }
}
