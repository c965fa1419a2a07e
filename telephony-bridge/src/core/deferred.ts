/** Promise plumbing: a promise with its settle functions, and a set of waiters settled together. */
export interface Deferred {
  resolve(): void;
  reject(err: Error): void;
}

/**
 * A promise and its settle functions. The promise is marked handled: whoever awaits it still
 * gets the rejection, but one nobody awaits does not crash the process.
 */
export function deferred(): { promise: Promise<void>; waiter: Deferred } {
  let waiter!: Deferred;
  const promise = new Promise<void>((resolve, reject) => (waiter = { resolve, reject }));
  promise.catch(() => {});
  return { promise, waiter };
}

export class WaiterSet {
  #waiters = new Set<Deferred>();

  get size(): number {
    return this.#waiters.size;
  }

  wait(): Promise<void> {
    return new Promise<void>((resolve, reject) => this.#waiters.add({ resolve, reject }));
  }

  resolveAll(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const w of waiters) w.resolve();
  }

  rejectAll(err: Error): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const w of waiters) w.reject(err);
  }
}
