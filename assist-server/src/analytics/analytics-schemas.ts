/**
 * Query schemas of the analytics API (zod). Times: ms since the epoch, an ISO date-time, or a date
 * (YYYY-MM-DD, UTC; `to` as a date includes that whole day). Default period: the 30 days up to now.
 */
import { z } from 'zod';

const DAY_MS = 86_400_000;
export const DEFAULT_PERIOD_MS = 30 * DAY_MS;
export const MAX_PERIOD_MS = 400 * DAY_MS;

const instant = (endOfDay: boolean) =>
  z
    .string()
    .trim()
    .transform((s, ctx) => {
      if (/^\d+$/.test(s)) return Number(s);
      const ms = /^\d{4}-\d{2}-\d{2}$/.test(s) ? Date.parse(`${s}T00:00:00Z`) + (endOfDay ? DAY_MS : 0) : Date.parse(s);
      if (Number.isFinite(ms)) return ms;
      ctx.addIssue({ code: 'custom', message: 'ms since the epoch, an ISO date-time or YYYY-MM-DD' });
      return z.NEVER;
    });

const Period = z.object({
  from: instant(false).optional(),
  to: instant(true).optional(),
  /** Comma-separated agent ids to narrow to (within what the caller may see). */
  agentId: z
    .string()
    .max(4000)
    .transform((s) => s.split(',').map((a) => a.trim()).filter((a) => a !== ''))
    .optional(),
  /** The viewer's offset from UTC in minutes (e.g. 480 for UTC+8) for hours and days. */
  tzOffsetMin: z.coerce.number().int().min(-840).max(840).default(0),
});

const Interval = z.enum(['hour', 'day', 'week']).default('day');

export const DemandQuery = Period.extend({ interval: Interval });
export const SentimentQuery = Period.extend({ interval: Interval });
export const AgentsQuery = Period;
export const KeywordsQuery = Period.extend({
  role: z.enum(['customer', 'agent', 'any']).default('customer'),
  limit: z.coerce.number().int().min(1).max(200).default(60),
});
export const StaffingQuery = Period.extend({
  intervalMin: z.coerce.number().pipe(z.union([z.literal(15), z.literal(30), z.literal(60)])).default(30),
  /** Share answered within targetAnswerSec, 0.5..0.99 (80/20: serviceLevel=0.8&targetAnswerSec=20). */
  serviceLevel: z.coerce.number().min(0.5).max(0.99).default(0.8),
  targetAnswerSec: z.coerce.number().int().min(1).max(600).default(20),
  maxOccupancy: z.coerce.number().gt(0).max(1).optional(),
  shrinkage: z.coerce.number().min(0).max(0.9).default(0),
  /** Forecast a weekday from that weekday's history: 0 = Monday … 6 = Sunday. */
  weekday: z.coerce.number().int().min(0).max(6).optional(),
});

/** from/to resolved with the defaults; an error message when the period is empty or too long. */
export function resolvePeriod(q: { from?: number | undefined; to?: number | undefined }, now: number): { fromMs: number; toMs: number } | string {
  const toMs = q.to ?? now;
  const fromMs = q.from ?? toMs - DEFAULT_PERIOD_MS;
  if (fromMs >= toMs) return 'from must be before to';
  if (toMs - fromMs > MAX_PERIOD_MS) return `at most ${MAX_PERIOD_MS / DAY_MS} days at a time`;
  return { fromMs, toMs };
}
