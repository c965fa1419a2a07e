/**
 * Back-pressure from a BridgeCall to the socket feeding it (TCP for AudioSocket, WebSocket for
 * media streams): the reader is paused while the call's ingest path is over its marks, so a slow
 * assist-server slows the peer instead of growing buffers without bound.
 */
import type { BridgeCall } from './call-sink.ts';

/**
 * Pauses a reader while a call has no capacity. `check()` after each batch handed to the call:
 * when the call offers waitForCapacity, the reader is paused until it resolves (or rejects: the
 * call is ending, so reading resumes and the source's own end path takes over).
 */
export class FlowGate {
  #waiting = false;
  /** Times the reader was paused for the call. */
  pauses = 0;

  constructor(private readonly reader: { pause(): void; resume(): void }) {}

  get paused(): boolean {
    return this.#waiting;
  }

  check(call: BridgeCall | undefined): void {
    if (!call || this.#waiting || call.hasCapacity) return;
    const done = () => {
      this.#waiting = false;
      this.reader.resume();
    };
    call.waitForCapacity().then(done, done);
    this.#waiting = true;
    this.pauses++;
    this.reader.pause();
  }
}
