/**
 * Reviewer replay API:
 *   GET /api/review/calls                       ended/archived calls; filters from, to, agentId, intent,
 *                                               emotion, compliance, min/maxDurationMs; q = full text over
 *                                               the masked transcripts; limit, offset
 *   GET /api/review/calls/:callId               call, finals, event timeline, recordings (audited: call.opened)
 *   GET /api/review/calls/:callId/audio/:role   a redacted recording, agent | customer | stereo (both legs),
 *                                               with HTTP Range (audited once per reviewer and call per
 *                                               REPLAY_AUDIT_WINDOW_MS: recording.replayed)
 *   GET|PUT /api/review/calls/:callId/scorecard this reviewer's QA scorecard (PUT audited: scorecard.saved)
 *   GET /api/audit                              recent audit entries, newest first
 *
 * Reviewer identity is the signed-in user (auth/: reviewers and admins); the `reviewer` query parameter
 * or `x-earpiece-reviewer` header is used only where no access control is installed (route tests).
 */
import { basename, dirname } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { REVIEWER_HEADER, type LegRole, type ReviewCallDetail } from '../protocol/index.ts';
import { callTimeline } from '../review/call-timeline.ts';
import { AuditQuery, CallListQuery, describeProblems, ReviewerName, ScorecardBody } from '../review/review-schemas.ts';
import { stereoRecording } from '../review/stereo-recording.ts';
import type { AuditLog } from '../store/audit-log.ts';
import type { CallStore } from '../store/call-store.ts';
import type { ReviewStore } from '../store/review-store.ts';

/** A reviewer's replays of one call within this window count as one (one audit row), however many range requests the player makes. */
export const REPLAY_AUDIT_WINDOW_MS = 30 * 60_000;

export interface ReviewRoutesOptions {
  store: CallStore;
  review: ReviewStore;
  audit: AuditLog;
  /** Absolute directory the archive lives under (the data dir). */
  dataDir: string;
  now?: () => number;
}

export async function reviewRoutes(app: FastifyInstance, options: ReviewRoutesOptions): Promise<void> {
  const { store, review, audit } = options;
  const now = options.now ?? Date.now;
  // Range requests, ETag and conditional GETs for the recordings; nothing is served by path.
  await app.register(fastifyStatic, { root: options.dataDir, serve: false });

  const lastReplay = new Map<string, number>();
  const auditReplay = async (reviewer: string, callId: string, role: string) => {
    const key = JSON.stringify([reviewer, callId]);
    const t = now();
    const last = lastReplay.get(key);
    if (last !== undefined && t - last < REPLAY_AUDIT_WINDOW_MS) return;
    if (lastReplay.size > 10_000) for (const [k, v] of lastReplay) if (t - v >= REPLAY_AUDIT_WINDOW_MS) lastReplay.delete(k);
    lastReplay.set(key, t);
    await audit.record({ actor: reviewer, action: 'recording.replayed', callId, detail: { role }, atMs: t });
  };

  app.get('/api/review/calls', { config: { access: 'reviewer' } }, async (req, reply) => {
    const q = CallListQuery.safeParse(req.query);
    if (!q.success) return invalid(reply, q.error, 'query');
    return await review.listCalls({ ...q.data, fromMs: q.data.from, toMs: q.data.to });
  });

  app.get('/api/review/calls/:callId', { config: { access: 'reviewer' } }, async (req, reply) => {
    const reviewer = reviewerOf(req, reply);
    if (reviewer === null) return reply;
    const { callId } = req.params as { callId: string };
    const call = await store.getCall(callId);
    if (!call) return notFound(reply, callId);
    const finals = await store.finals(callId);
    await audit.record({ actor: reviewer, action: 'call.opened', callId, atMs: now() });
    const detail: ReviewCallDetail = {
      call: {
        callId: call.callId,
        agentId: call.agentId,
        callerNumber: call.callerNumber,
        startedAtMs: call.startedAtMs,
        endedAtMs: call.endedAtMs,
        durationMs: call.durationMs,
        endReason: call.endReason,
        status: call.status,
        legs: call.legs,
      },
      finals,
      timeline: callTimeline(await store.events(callId), finals, call.startedAtMs),
      recordings: (await store.recordings(callId)).map((r) => ({ role: r.role, sampleRateHz: r.sampleRateHz, durationMs: r.durationMs })),
    };
    return detail;
  });

  app.get('/api/review/calls/:callId/audio/:role', { config: { access: 'reviewer' } }, async (req, reply) => {
    const reviewer = reviewerOf(req, reply);
    if (reviewer === null) return reply;
    const { callId, role } = req.params as { callId: string; role: string };
    const call = await store.getCall(callId);
    if (!call) return notFound(reply, callId);
    const recordings = await store.recordings(callId);
    let path: string | null;
    if (role === 'stereo') path = call.archiveDir ? await stereoRecording(call.archiveDir, recordings) : null;
    else path = recordings.find((r) => r.role === (role as LegRole))?.path ?? null;
    if (!path) return reply.code(404).send({ code: 'EARPIECE_RECORDING_NOT_FOUND', message: `call ${callId} has no ${role} recording (not archived yet?)` });
    await auditReplay(reviewer, callId, role);
    return reply.header('cache-control', 'private, no-cache').sendFile(basename(path), dirname(path), { cacheControl: false });
  });

  app.get('/api/review/calls/:callId/scorecard', { config: { access: 'reviewer' } }, async (req, reply) => {
    const reviewer = reviewerOf(req, reply);
    if (reviewer === null) return reply;
    const { callId } = req.params as { callId: string };
    if (!(await store.getCall(callId))) return notFound(reply, callId);
    return { scorecard: await review.scorecard(callId, reviewer), others: (await review.scorecards(callId)).filter((c) => c.reviewer !== reviewer) };
  });

  app.put('/api/review/calls/:callId/scorecard', { config: { access: 'reviewer', audit: 'self' } }, async (req, reply) => {
    const reviewer = reviewerOf(req, reply);
    if (reviewer === null) return reply;
    const { callId } = req.params as { callId: string };
    if (!(await store.getCall(callId))) return notFound(reply, callId);
    const body = ScorecardBody.safeParse(req.body ?? {});
    if (!body.success) return invalid(reply, body.error, 'scorecard');
    const scorecard = await review.saveScorecard({ callId, reviewer, scores: body.data.scores, comment: body.data.comment, updatedAtMs: now() });
    await audit.record({ actor: reviewer, action: 'scorecard.saved', callId, detail: { scores: body.data.scores }, atMs: scorecard.updatedAtMs });
    return { scorecard };
  });

  app.get('/api/audit', { config: { access: 'admin' } }, async (req, reply) => {
    const q = AuditQuery.safeParse(req.query);
    if (!q.success) return invalid(reply, q.error, 'query');
    return { entries: await audit.recent(q.data) };
  });
}

/** The reviewer named by the request, or null after answering 400. */
function reviewerOf(req: FastifyRequest, reply: FastifyReply): string | null {
  // Signed in (auth/): the audit names the user; the name parameter is only for apps without access control.
  if (req.user) return req.user.username;
  const header = req.headers[REVIEWER_HEADER];
  const raw = (req.query as { reviewer?: unknown }).reviewer ?? (Array.isArray(header) ? header[0] : header) ?? '';
  const parsed = ReviewerName.safeParse(raw);
  if (parsed.success) return parsed.data;
  void reply.code(400).send({ code: 'EARPIECE_REVIEWER_REQUIRED', message: parsed.error.issues[0]?.message ?? 'reviewer required' });
  return null;
}

function notFound(reply: FastifyReply, callId: string) {
  return reply.code(404).send({ code: 'EARPIECE_CALL_NOT_FOUND', message: `no call ${callId}` });
}

function invalid(reply: FastifyReply, error: z.ZodError, what: string) {
  const problems = describeProblems(error);
  return reply.code(400).send({ code: 'EARPIECE_REVIEW_INVALID', message: `invalid ${what}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems });
}
