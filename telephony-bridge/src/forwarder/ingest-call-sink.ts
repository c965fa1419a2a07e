/**
 * The production CallSink: one IngestClient (ingest WebSocket with acks, resend buffer and
 * reconnect) per call toward assist-server, and a limit on concurrent calls.
 */
import { BridgeError } from '../core/errors.ts';
import { silentLogger, type BridgeLogger } from '../core/logger.ts';
import type { BridgeCall, BridgeCallSpec, CallEndReason, CallSink } from '../core/call-sink.ts';
import { IngestClient } from './ingest-client.ts';

export interface IngestCallSinkOptions {
  serverUrl: string;
  /** Calls this bridge carries at once; one more is refused (EARPIECE_BRIDGE_CAPACITY). */
  maxCalls: number;
  logger?: BridgeLogger;
}

export class IngestCallSink implements CallSink {
  #active = new Set<string>();
  #log: BridgeLogger;

  constructor(private readonly options: IngestCallSinkOptions) {
    this.#log = options.logger ?? silentLogger;
  }

  get activeCalls(): number {
    return this.#active.size;
  }

  async open(spec: BridgeCallSpec): Promise<BridgeCall> {
    if (this.#active.has(spec.callId)) throw new BridgeError('EARPIECE_BRIDGE_DUPLICATE_CALL', `call ${spec.callId} is already open on this bridge`);
    if (this.#active.size >= this.options.maxCalls) {
      this.#log.warn({ callId: spec.callId, source: spec.source, maxCalls: this.options.maxCalls }, 'call refused: bridge at capacity');
      throw new BridgeError('EARPIECE_BRIDGE_CAPACITY', `this bridge is at capacity (${this.options.maxCalls} calls)`, { retryable: true });
    }
    this.#active.add(spec.callId);
    const client = new IngestClient({
      serverUrl: this.options.serverUrl,
      call: { callId: spec.callId, agentId: spec.agentId, callerNumber: spec.callerNumber, source: spec.source, legs: spec.legs },
      logger: this.#log,
    });
    client.on('error', (err) => this.#log.warn({ callId: spec.callId, code: err.code }, 'ingest error'));
    try {
      await client.connect();
    } catch (err) {
      this.#active.delete(spec.callId);
      await client.close();
      throw err;
    }
    return new ForwardedCall(client, () => this.#active.delete(spec.callId), this.#log);
  }
}

class ForwardedCall implements BridgeCall {
  #ending: Promise<void> | undefined;

  constructor(
    private readonly client: IngestClient,
    private readonly release: () => void,
    private readonly log: BridgeLogger,
  ) {}

  get callId(): string {
    return this.client.callId;
  }

  audio(role: Parameters<IngestClient['sendAudio']>[0], pcm: Int16Array, offsetSamples?: number): void {
    if (this.#ending) return;
    this.client.sendAudio(role, pcm, offsetSamples);
  }

  dtmf(role: Parameters<IngestClient['sendAudio']>[0], digit: string, offsetMs: number, durationMs = 0): void {
    if (this.#ending) return;
    this.client.sendEvent({ type: 'call.dtmf', role, digit, offsetMs, durationMs });
  }

  get hasCapacity(): boolean {
    return this.client.hasCapacity;
  }

  waitForCapacity(): Promise<void> {
    return this.client.waitForCapacity();
  }

  hold(held: boolean): void {
    if (this.#ending) return;
    this.client.sendEvent({ type: 'call.hold', held });
  }

  end(reason: CallEndReason): Promise<void> {
    this.#ending ??= this.client
      .stop(reason)
      .catch((err: Error & { code?: string }) => this.log.error({ callId: this.callId, code: err.code }, 'call did not stop cleanly'))
      .finally(async () => {
        await this.client.close();
        this.release();
      });
    return this.#ending;
  }
}
