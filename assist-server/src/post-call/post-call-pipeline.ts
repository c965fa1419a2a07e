/**
 * The post-call pipeline of one ended call, step by step:
 *   recording   spools → per-leg WAV (redacted audio; the reviewer's playable copy)   recording-step.ts
 *   encode      a lossless FLAC copy of each leg (sox)                               encode-step.ts
 *   transcript  masked transcript, events and metadata files                         transcript-step.ts
 *   metrics     per-call metrics (talk, interruptions, loudness, …)                  metrics-step.ts
 *   qa          auto scorecard (reviewer `auto`) from the compliance rules            qa-step.ts
 *   summary     summary.json (analyzers/summary)                                     summary-step.ts
 *   analytics   the call_metrics row                                                 analytics-step.ts
 *   seal        integrity manifest + hash (archive/), calls.status = archived        archive/integrity-manifest.ts
 * Each step's completion is recorded in post_call_steps (migration 7) with its result; a retried job
 * (BullMQ retry, a worker that died, a Redis restart) skips the recorded steps, so nothing is done or
 * written twice. A step cut off before its record is written runs again: every step only overwrites
 * (atomic file renames, upserts). The leg spools are deleted only once "recording" is recorded.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { SqlDatabase } from '../db/sql-database.ts';
import { sealArchive } from '../archive/integrity-manifest.ts';
import { CallMetricsStore, type CallMetrics } from '../store/call-metrics-store.ts';
import type { CallRecord, CallStore, RecordingRecord } from '../store/call-store.ts';
import { ComplianceStore } from '../store/compliance-store.ts';
import { CustomerHistoryStore } from '../store/customer-history-store.ts';
import { PostCallStore } from '../store/post-call-store.ts';
import { ReviewStore } from '../store/review-store.ts';
import { updateAnalytics } from './analytics-step.ts';
import { measureCall } from './metrics-step.ts';
import type { RuleKind } from './qa-auto-score.ts';
import { scoreCall } from './qa-step.ts';
import { encodeFlac } from './encode-step.ts';
import { encodeRecordings, type LegSpool } from './recording-step.ts';
import { writeSummary } from './summary-step.ts';
import { finalizeTranscript } from './transcript-step.ts';

export const POST_CALL_STEPS = ['recording', 'encode', 'transcript', 'metrics', 'qa', 'summary', 'analytics', 'seal'] as const;
export type PostCallStep = (typeof POST_CALL_STEPS)[number];

export interface PostCallJobData {
  callId: string;
  legs: LegSpool[];
}

export interface PostCallResult {
  callId: string;
  archiveDir: string;
  recordings: RecordingRecord[];
  /** null: archived before integrity manifests existed. */
  manifestSha256: string | null;
  /** Steps this run did (the others were done by an earlier attempt). */
  ran: PostCallStep[];
  skipped?: 'already-archived';
}

export interface PostCallPipelineOptions {
  store: CallStore;
  dataDir: string;
  logger: Logger;
  /** Kind of each compliance rule id (the QA auto-score maps kinds to criteria); empty when unknown. */
  ruleKinds?: () => ReadonlyMap<string, RuleKind>;
  /** Called after each step is recorded (fault injection in tests; progress). */
  afterStep?: (callId: string, step: PostCallStep, attempt: number) => Promise<void> | void;
}

export class PostCallPipeline {
  readonly steps: PostCallStore;
  private readonly db: SqlDatabase;
  private readonly hits: ComplianceStore;
  private readonly history: CustomerHistoryStore;
  private readonly review: ReviewStore;
  private readonly metrics: CallMetricsStore;

  constructor(private readonly options: PostCallPipelineOptions) {
    this.db = options.store.database;
    this.steps = new PostCallStore(this.db);
    this.hits = new ComplianceStore(this.db);
    this.history = new CustomerHistoryStore(this.db);
    this.review = new ReviewStore(this.db);
    this.metrics = new CallMetricsStore(this.db);
  }

  /** Runs the call's remaining steps; `attempt` is the job's attempt number (1 = first). */
  async run(data: PostCallJobData, attempt = 1): Promise<PostCallResult> {
    const { store } = this.options;
    const call = await store.getCall(data.callId);
    if (!call) throw new Error(`call ${data.callId} is not in the store`);
    const archiveDir = archiveDirOf(this.options.dataDir, call);
    const archived = await this.steps.archive(call.callId);
    // Archived already (by this pipeline, or by the archive job before migration 7: no manifest then).
    if (call.status === 'archived') {
      return { callId: call.callId, archiveDir: archived?.archiveDir ?? call.archiveDir ?? archiveDir, recordings: await store.recordings(call.callId), manifestSha256: archived?.manifestSha256 ?? null, ran: [], skipped: 'already-archived' };
    }
    await mkdir(archiveDir, { recursive: true });
    const ran: PostCallStep[] = [];
    const step = async <T>(name: PostCallStep, work: () => Promise<T>, afterRecorded?: () => Promise<void>): Promise<T> => {
      const done = await this.steps.step(call.callId, name);
      if (done) return done.result as T;
      const result = await work();
      await this.steps.markStepDone(call.callId, name, attempt, result);
      ran.push(name);
      await afterRecorded?.();
      await this.options.afterStep?.(call.callId, name, attempt);
      return result;
    };

    const recordings = await step('recording', () => encodeRecordings(call.callId, data.legs, archiveDir), async () => {
      for (const leg of data.legs) await rm(leg.spoolPath, { force: true });
    });
    await step('encode', () => encodeFlac(recordings, archiveDir, this.options.logger));
    await step('transcript', () => finalizeTranscript(call, store, archiveDir));
    const metrics = await step<CallMetrics>('metrics', () => measureCall(call, recordings, { store, hits: this.hits, history: this.history }));
    await step('qa', () => scoreCall(call.callId, metrics, { store, hits: this.hits, review: this.review }, this.options.ruleKinds?.() ?? new Map()));
    await step('summary', () => writeSummary(call.callId, { store, history: this.history }, archiveDir));
    await step('analytics', () => updateAnalytics(metrics, this.metrics));
    const seal = await step('seal', async () => {
      const sealed = await sealArchive(call.callId, archiveDir);
      await this.steps.saveArchive({ callId: call.callId, archiveDir, callType: metrics.callType, manifestJson: sealed.json, manifestSha256: sealed.sha256, archivedAtMs: Date.now() });
      await store.markArchived(call.callId, archiveDir, recordings);
      return { manifestSha256: sealed.sha256, files: sealed.manifest.files.length };
    });
    this.options.logger.info({ callId: call.callId, ran, attempt, manifestSha256: seal.manifestSha256 }, 'post-call pipeline done; call archived');
    return { callId: call.callId, archiveDir, recordings, manifestSha256: seal.manifestSha256, ran };
  }
}

/** data/calls/YYYY/MM/DD/<callId> (by the call's start, UTC). */
export function archiveDirOf(dataDir: string, call: Pick<CallRecord, 'callId' | 'startedAtMs'>): string {
  const day = new Date(call.startedAtMs).toISOString().slice(0, 10).split('-');
  return join(dataDir, 'calls', ...day, call.callId.replace(/[^A-Za-z0-9._-]/g, '_'));
}
