/**
 * Reviewer replay REST API (`/api/review/*`, `/api/audit`): the shapes the review screen reads.
 * Types only (the UI imports them as types); the request schemas live with the routes.
 * Every text here is masked.
 *
 * Reviewer identity: the `reviewer` query parameter or the `x-earpiece-reviewer` header, taken on
 * trust until sign-in lands (issue 8). Opening a call and replaying its recording are audited.
 */
import type { ComplianceSeverity, FinalUtterance } from './agent-ui.ts';
import type { LegRole } from './ingest.ts';

export const REVIEWER_HEADER = 'x-earpiece-reviewer';

/** The QA form's criteria, in form order. */
export type QaCriterion = 'greeting' | 'verification' | 'accuracy' | 'empathy' | 'compliance' | 'resolution';
/** 0..5, or `n/a` where the criterion did not apply to the call. */
export type QaScore = 0 | 1 | 2 | 3 | 4 | 5 | 'n/a';
export type QaScores = Record<QaCriterion, QaScore>;

export interface QaScorecard {
  callId: string;
  reviewer: string;
  scores: QaScores;
  comment: string;
  updatedAtMs: number;
}

/** One row of the call list. */
/** Who and when, as stored for a call: the head of a review row and of a call summary. */
export interface StoredCallHead {
  callId: string;
  agentId: string;
  /** Masked. */
  callerNumber: string | null;
  startedAtMs: number;
  durationMs: number | null;
  status: 'live' | 'ended' | 'archived';
}

export interface ReviewCallRow extends StoredCallHead {
  /** The customer's final intent labels, first mention order. */
  intents: string[];
  /** Customer emotion labels seen, first seen order. */
  emotions: string[];
  complianceWarnings: number;
  escalations: number;
  hasRecording: boolean;
  /** Reviewers who saved a scorecard. */
  scoredBy: string[];
  /** With `q`: up to three matching utterances, the matched terms wrapped in `«…»`. */
  matches?: Array<{ utteranceId: string; role: LegRole; startMs: number; snippet: string }>;
}

export interface ReviewCallList {
  calls: ReviewCallRow[];
  /** Rows skipped before these (paging). */
  offset: number;
  /** True when more rows match than were returned. */
  more: boolean;
}

export type ReviewTimelineKind = 'intent' | 'compliance' | 'emotion' | 'escalation' | 'hold';

/** One entry of the call's event timeline, on the recording's clock. */
export interface ReviewTimelineEntry {
  kind: ReviewTimelineKind;
  /** ms since the call started (= position in the recordings). */
  offsetMs: number;
  label: string;
  detail: string | null;
  role: LegRole | null;
  utteranceId: string | null;
  severity: ComplianceSeverity | null;
}

export interface ReviewRecording {
  role: LegRole;
  sampleRateHz: number;
  durationMs: number;
}

export interface ReviewCallDetail {
  call: { callId: string; agentId: string; callerNumber: string | null; startedAtMs: number; endedAtMs: number | null; durationMs: number | null; endReason: string | null; status: 'live' | 'ended' | 'archived'; legs: LegRole[] };
  finals: FinalUtterance[];
  timeline: ReviewTimelineEntry[];
  /** Archived (redacted) recordings; `GET …/audio/<role>` serves each, `…/audio/stereo` both legs as one stereo file (agent left). */
  recordings: ReviewRecording[];
}

export interface AuditEntry {
  id: number;
  atMs: number;
  actor: string;
  action: 'call.opened' | 'recording.replayed' | 'scorecard.saved' | (string & {});
  callId: string | null;
  detail: Record<string, unknown> | null;
}
