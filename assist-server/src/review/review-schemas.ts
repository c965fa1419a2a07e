/** Request schemas of the reviewer replay API (zod): the list filters, the reviewer, the QA scorecard. */
import { z } from 'zod';
import type { QaCriterion, QaScore } from '../protocol/index.ts';

export const QA_CRITERIA = ['greeting', 'verification', 'accuracy', 'empathy', 'compliance', 'resolution'] as const satisfies readonly QaCriterion[];

const DAY_MS = 24 * 3600_000;

/** ms since the epoch, an ISO date-time, or a date (YYYY-MM-DD, UTC; as an upper bound it includes that whole day). */
const instant = (endOfDay: boolean) =>
  z
    .string()
    .trim()
    .transform((s, ctx) => {
      if (/^\d+$/.test(s)) return Number(s);
      if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
        const ms = Date.parse(`${s}T00:00:00Z`);
        if (Number.isFinite(ms)) return endOfDay ? ms + DAY_MS : ms;
      } else {
        const ms = Date.parse(s);
        if (Number.isFinite(ms)) return ms;
      }
      ctx.addIssue({ code: 'custom', message: 'ms since the epoch, an ISO date-time or YYYY-MM-DD' });
      return z.NEVER;
    });

const nonNegative = z.coerce.number().int().min(0);

export const ReviewerName = z
  .string()
  .trim()
  .min(1, 'say who is reviewing (reviewer query parameter or x-earpiece-reviewer header)')
  .max(64)
  .regex(/^[\p{L}\p{N} ._@-]+$/u, 'letters, digits, space and . _ @ - only');

export const CallListQuery = z.object({
  from: instant(false).optional(),
  to: instant(true).optional(),
  agentId: z.string().min(1).max(128).optional(),
  intent: z.string().min(1).max(128).optional(),
  emotion: z.string().min(1).max(64).optional(),
  compliance: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  minDurationMs: nonNegative.optional(),
  maxDurationMs: nonNegative.optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  offset: nonNegative.optional(),
});

const score = z.union([z.number().int().min(0).max(5), z.literal('n/a')]).transform((v) => v as QaScore);

export const ScorecardBody = z.object({
  scores: z.object(Object.fromEntries(QA_CRITERIA.map((c) => [c, score])) as Record<QaCriterion, typeof score>).strict(),
  comment: z.string().max(4000).default(''),
});

export const AuditQuery = z.object({
  callId: z.string().min(1).max(256).optional(),
  actor: z.string().min(1).max(64).optional(),
  action: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export function describeProblems(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
}
