/**
 * How a call ended, derived at call end from what the live analysis saw (no agent input, no
 * transcript text): the caller's next call shows it, and an open issue becomes a nudge there.
 *
 * Rules, first that applies:
 * - no confident customer intent → `unknown`
 * - a transfer was advised → `transferred`; the issue stays open (another team has it): the
 *   intent the transfer was for (for a manager request, the last intent)
 * - the customer escalated (an escalation alert, or a manager request) and the last emotion
 *   reading is still negative, or the last intent was asked more than once → `open`, on the last intent
 * - the last intent suits self-service and that was advised → `self-service`
 * - otherwise → `resolved`
 * The bridge does not say whether a transfer really happened: advice given stands for it.
 */
import type { CallOutcomeLabel } from '../../store/customer-history-store.ts';

export interface CallOutcomeInput {
  /** Confident, in-scope final customer intents, in call order (repeats kept). */
  intents: string[];
  /** Transfer advice given, in order: the intent it was for (null for a manager request) and the queue. */
  transfers: Array<{ intent: string | null; queue: string }>;
  escalated: boolean;
  /** The latest emotion reading is angry or frustrated. */
  negativeAtEnd: boolean;
  /** Intents a repeated-question nudge fired for. */
  repeatedIntents: Set<string>;
  /** Intents self-service was advised for. */
  selfServiceIntents: Set<string>;
}

export interface DerivedOutcome {
  intents: string[];
  outcome: CallOutcomeLabel;
  openIssue: string | null;
  transferTarget: string | null;
}

export function deriveCallOutcome(input: CallOutcomeInput): DerivedOutcome {
  const intents = [...new Set(input.intents)];
  const last = input.intents.at(-1) ?? null;
  if (last === null) return { intents, outcome: 'unknown', openIssue: null, transferTarget: null };
  const transfer = input.transfers.at(-1);
  if (transfer) return { intents, outcome: 'transferred', openIssue: transfer.intent ?? last, transferTarget: transfer.queue };
  if ((input.escalated && input.negativeAtEnd) || input.repeatedIntents.has(last)) return { intents, outcome: 'open', openIssue: last, transferTarget: null };
  if (input.selfServiceIntents.has(last)) return { intents, outcome: 'self-service', openIssue: null, transferTarget: null };
  return { intents, outcome: 'resolved', openIssue: null, transferTarget: null };
}
