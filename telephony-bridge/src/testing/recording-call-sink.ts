/**
 * TEST HELPER: an in-memory CallSink that records what a source hands on (audio per leg with
 * offsets, digits, holds, end) and enforces a call limit like IngestCallSink. Fast protocol tests
 * use it; the integration tests use IngestCallSink into a real assist-server instead. A call can
 * be made to report no capacity, to test a source's back-pressure (`hasCapacity`/`waitForCapacity`).
 */
import type { LegRole } from '@earpiece/assist-server/protocol';
import type { BridgeCall, BridgeCallSpec, CallEndReason, CallSink } from '../core/call-sink.ts';
import { BridgeError } from '../core/errors.ts';

export interface RecordedAudio {
  role: LegRole;
  offsetSamples: number;
  pcm: Int16Array;
}

export class RecordedCall implements BridgeCall {
  readonly audioFrames: RecordedAudio[] = [];
  readonly digits: Array<{ role: LegRole; digit: string; offsetMs: number }> = [];
  readonly holds: boolean[] = [];
  endReason: CallEndReason | undefined;
  /** Appended in order of arrival: 'audio:<role>', 'dtmf:<role>:<digit>', 'end:<reason>'. */
  readonly log: string[] = [];
  hasCapacity = true;
  #capacityWaiters: Array<() => void> = [];
  #clock = new Map<LegRole, number>();

  constructor(readonly spec: BridgeCallSpec, private readonly onEnd: () => void) {}

  get callId(): string {
    return this.spec.callId;
  }

  audio(role: LegRole, pcm: Int16Array, offsetSamples?: number): void {
    if (!this.spec.legs.some((l) => l.role === role)) throw new BridgeError('EARPIECE_BRIDGE_UNKNOWN_LEG', `leg ${role} not declared`);
    if (this.endReason) throw new Error('audio after end');
    const offset = offsetSamples ?? this.#clock.get(role) ?? 0;
    this.#clock.set(role, offset + pcm.length);
    this.audioFrames.push({ role, offsetSamples: offset, pcm });
    this.log.push(`audio:${role}`);
  }

  dtmf(role: LegRole, digit: string, offsetMs: number): void {
    this.digits.push({ role, digit, offsetMs });
    this.log.push(`dtmf:${role}:${digit}`);
  }

  hold(held: boolean): void {
    this.holds.push(held);
  }

  end(reason: CallEndReason): Promise<void> {
    if (!this.endReason) {
      this.endReason = reason;
      this.log.push(`end:${reason}`);
      this.onEnd();
    }
    return Promise.resolve();
  }

  /** All samples of one leg in order, and the offsets of its frames. */
  leg(role: LegRole): { pcm: Int16Array; offsets: number[] } {
    const frames = this.audioFrames.filter((f) => f.role === role);
    return { pcm: Int16Array.from(frames.flatMap((f) => [...f.pcm])), offsets: frames.map((f) => f.offsetSamples) };
  }

  waitForCapacity(): Promise<void> {
    if (this.hasCapacity) return Promise.resolve();
    return new Promise((resolve) => this.#capacityWaiters.push(resolve));
  }

  setCapacity(has: boolean): void {
    this.hasCapacity = has;
    if (has) for (const w of this.#capacityWaiters.splice(0)) w();
  }
}

export class RecordingCallSink implements CallSink {
  readonly calls: RecordedCall[] = [];
  readonly refused: BridgeCallSpec[] = [];
  #active = 0;
  #listeners = new Set<() => void>();

  constructor(private readonly maxCalls = 100, private readonly withBackPressure = false) {}

  get activeCalls(): number {
    return this.#active;
  }

  async open(spec: BridgeCallSpec): Promise<BridgeCall> {
    if (this.#active >= this.maxCalls) {
      this.refused.push(spec);
      this.#notify();
      throw new BridgeError('EARPIECE_BRIDGE_CAPACITY', `at capacity (${this.maxCalls} calls)`, { retryable: true });
    }
    this.#active++;
    const call = new RecordedCall(spec, () => {
      this.#active--;
      this.#notify();
    });
    this.calls.push(call);
    this.#notify();
    return call;
  }

  call(callId: string): RecordedCall | undefined {
    return this.calls.find((c) => c.callId === callId);
  }

  /** Resolves when `predicate` holds (checked on every open, refusal and end, and every 5 ms). */
  waitFor(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const poll = setInterval(check, 5);
      const cleanup = () => {
        clearTimeout(timer);
        clearInterval(poll);
        this.#listeners.delete(check);
      };
      this.#listeners.add(check);
      check();
    });
  }

  #notify(): void {
    for (const l of [...this.#listeners]) l();
  }
}
