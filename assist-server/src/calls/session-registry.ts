/**
 * The live calls of this node. Opens a CallSession on `call.start` (or hands back the live one
 * when a bridge reconnects with the same callId), refuses calls beyond capacity, and on stop
 * flushes the session and queues its archive job.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { TranscriptMasker } from '../analyzers/pii-masker/transcript-masker.ts';
import type { PostCallQueue } from '../jobs/post-call-queue.ts';
import { IngestErrorCode, type CallStartMessage } from '../protocol/index.ts';
import type { SpeechEngine } from '../recognition/recognizer.ts';
import type { VadSettings } from '../recognition/vad/vad-settings.ts';
import type { AdmissionControl } from './admission-control.ts';
import type { EmotionTrackerOptions } from '../analyzers/live/emotion-tracker.ts';
import type { NluClient } from '../analyzers/nlu-client.ts';
import type { LiveAnalyzerFactory } from '../analyzers/live/live-analyzer.ts';
import { CallSession, type CallEventSink, type CallResume, type RedactionOptions } from './call-session.ts';
import { writeCallStart } from './call-start-record.ts';

/** Where a call's spool (its settled audio, spool-state.ts, and its call.start, call-start-record.ts) lives. */
export function spoolDirOf(dataDir: string, callId: string): string {
  return join(dataDir, 'spool', callId.replace(/[^A-Za-z0-9._-]/g, '_'));
}

export class CallRefusedError extends Error {
  constructor(
    readonly code: IngestErrorCode,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export interface SessionRegistryOptions {
  engine: SpeechEngine;
  /** Voice-activity gating of each leg before recognition (absent: off). */
  vad?: VadSettings | undefined;
  /** Audio gathered per decoder call, ms (EARPIECE_RECOGNIZER_BATCH_MS). */
  recognizerBatchMs?: number | undefined;
  masker: TranscriptMasker;
  sink: CallEventSink;
  postCall: PostCallQueue;
  dataDir: string;
  redaction: RedactionOptions;
  nlu?: NluClient | undefined;
  emotion?: EmotionTrackerOptions;
  analyzers?: LiveAnalyzerFactory[];
  callerKey?: (callerNumber: string) => string | null;
  maxCalls: number;
  /** Refuses calls beyond what the recognizers' measured cost allows (absent: maxCalls only). */
  admission?: AdmissionControl | undefined;
  logger: Logger;
  /**
   * What is known of a callId this node has no live session for: undefined (a new call),
   * 'ended' (refuse it), or the state to resume it from (a restart or another node's crash).
   */
  loadResume?: (callId: string, spoolDir: string) => Promise<CallResume | 'ended' | undefined>;
  /** Resolves when the call's events emitted so far are in the database (awaited before the archive job is queued). */
  persisted?: (callId: string) => Promise<void>;
  /** False when another node owns the call now (cluster/): it is dropped here, not ended or archived. */
  mayEnd?: (callId: string) => Promise<boolean>;
}

export class SessionRegistry {
  private readonly live = new Map<string, CallSession>();
  private readonly opening = new Map<string, Promise<CallSession>>();
  private readonly stopping = new Map<string, Promise<void>>();

  constructor(private readonly options: SessionRegistryOptions) {}

  get size(): number {
    return this.live.size;
  }

  get(callId: string): CallSession | undefined {
    return this.live.get(callId);
  }

  forAgent(agentId: string): CallSession[] {
    return [...this.live.values()].filter((s) => s.agentId === agentId);
  }

  all(): CallSession[] {
    return [...this.live.values()];
  }

  /** Opens the call, or returns the live session of the same callId (bridge reconnect). */
  async start(msg: CallStartMessage): Promise<{ session: CallSession; resumed: boolean }> {
    const existing = this.live.get(msg.callId);
    if (existing) return { session: existing, resumed: true };
    const pending = this.opening.get(msg.callId);
    if (pending) return { session: await pending, resumed: true };
    if (this.stopping.has(msg.callId)) throw new CallRefusedError(IngestErrorCode.CallEnded, `call ${msg.callId} has already ended`, false);
    if (this.live.size + this.opening.size >= this.options.maxCalls) {
      throw new CallRefusedError(IngestErrorCode.Capacity, `this node is at capacity (${this.options.maxCalls} calls)`, true);
    }
    const spoolDir = spoolDirOf(this.options.dataDir, msg.callId);
    // Registered in `opening` before the first await, so a second start of the same call joins this one.
    let resume: CallResume | undefined;
    const opening = (async () => {
      const known = await this.options.loadResume?.(msg.callId, spoolDir);
      if (known === 'ended') throw new CallRefusedError(IngestErrorCode.CallEnded, `call ${msg.callId} has already ended`, false);
      // Only a new call may be refused for load; one resumed here (a node died) was admitted once already.
      const refusal = known ? undefined : this.options.admission?.refusal(this.live.size + this.opening.size - 1);
      if (refusal) throw new CallRefusedError(IngestErrorCode.Capacity, refusal, true);
      resume = known;
      // Kept so that the call can be ended without its bridge if its owner dies (cluster/orphan-sweep.ts).
      await writeCallStart(spoolDir, msg).catch((err: Error) => this.options.logger.warn({ callId: msg.callId, err: err.message }, 'cannot keep the call.start in the spool; the call could not be ended if its node died'));
      return CallSession.open({
        start: msg,
        engine: this.options.engine,
        vad: this.options.vad,
        recognizerBatchMs: this.options.recognizerBatchMs,
        masker: this.options.masker,
        sink: this.options.sink,
        spoolDir,
        redaction: this.options.redaction,
        nlu: this.options.nlu,
        ...(this.options.emotion ? { emotion: this.options.emotion } : {}),
        analyzers: this.options.analyzers,
        callerKey: this.options.callerKey,
        logger: this.options.logger,
        resume,
      });
    })();
    this.opening.set(msg.callId, opening);
    try {
      const session = await opening;
      this.live.set(msg.callId, session);
      this.options.logger.info({ callId: msg.callId, agentId: msg.agentId, legs: msg.legs.length, source: msg.source, resumedAfterRestart: !!resume }, resume ? 'call resumed from its spool' : 'call started');
      return { session, resumed: !!resume };
    } finally {
      this.opening.delete(msg.callId);
    }
  }

  /** Ends a call: flush recognizers, emit call.ended, queue the archive job. Idempotent. */
  stop(callId: string, reason: string): Promise<void> {
    const already = this.stopping.get(callId);
    if (already) return already;
    const session = this.live.get(callId);
    if (!session) return Promise.resolve();
    const done = (async () => {
      if (this.options.mayEnd && !(await this.options.mayEnd(callId))) return void this.abandon(callId);
      await session.stop(reason);
      this.live.delete(callId);
      await this.options.persisted?.(callId);
      await this.options.postCall.enqueueArchive({
        callId,
        legs: session.recordings().map((r) => ({ role: r.role, spoolPath: r.spoolPath, sampleRateHz: r.sampleRateHz })),
      });
      this.options.logger.info({ callId, reason }, 'call ended; archive queued');
    })();
    this.stopping.set(callId, done);
    const forget = () => void setTimeout(() => this.stopping.delete(callId), 60_000).unref();
    done.then(forget, forget);
    return done;
  }

  /** Another node owns the call now: drop it here without ending or archiving it. */
  abandon(callId: string): boolean {
    const session = this.live.get(callId);
    if (!session) return false;
    this.live.delete(callId);
    session.abandon();
    return true;
  }

  /** Stops every live call (shutdown). */
  async stopAll(reason: string): Promise<void> {
    await Promise.all([...this.live.keys()].map((id) => this.stop(id, reason)));
  }
}
