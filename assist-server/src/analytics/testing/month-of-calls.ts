/**
 * A seeded month of calls for analytics tests (call_metrics rows plus customer utterance text), built
 * so the expected answers follow from its design:
 *   - 30 days from `startMs` (default 2026-11-01T00:00Z), business hours 09-17 UTC, exactly 4 calls an
 *     hour (minutes 0, 15, 30, 45 plus up to 10 minutes of jitter): 32 calls a day, 960 in all;
 *   - 9 agents in round robin, three designed profiles: a1-a3 'top' (short calls, resolve, no
 *     transfers, compliant, sentiment improves), a4-a6 'middle', a7-a9 'support' (long, transfer,
 *     unresolved, sentiment worsens);
 *   - intents: the n-th call of a day is fraud_report when n % 16 == 0 in days 0-14 (2 a day) and when
 *     n % 4 == 0 in days 15-29 (8 a day), otherwise the next of ROUTINE_INTENTS in turn.
 */
import type { CallMetrics } from '../../store/call-metrics-store.ts';
import { seededRandom } from '../../inference/text/seeded-random.ts';

export const MONTH_START_MS = Date.UTC(2026, 10, 1);
export const DAYS = 30;
export const CALLS_PER_HOUR = 4;
export const FIRST_HOUR = 9;
export const LAST_HOUR = 16;
export const ROUTINE_INTENTS = ['card_lost', 'balance', 'transfer_money', 'loan_enquiry'] as const;
export const AGENT_IDS = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9'] as const;

interface Profile {
  handleSec: number;
  resolved: number;
  transferred: number;
  compliance: number;
  sentimentChange: number;
}

export const PROFILES: Record<'top' | 'middle' | 'support', Profile> = {
  top: { handleSec: 240, resolved: 0.92, transferred: 0.02, compliance: 96, sentimentChange: 0.5 },
  middle: { handleSec: 360, resolved: 0.75, transferred: 0.1, compliance: 85, sentimentChange: 0.15 },
  support: { handleSec: 540, resolved: 0.45, transferred: 0.3, compliance: 65, sentimentChange: -0.25 },
};

export function profileOf(agentId: string): keyof typeof PROFILES {
  const n = Number(agentId.slice(1));
  return n <= 3 ? 'top' : n <= 6 ? 'middle' : 'support';
}

const CUSTOMER_LINES: Record<string, string[]> = {
  fraud_report: ['there is a payment on my card I did not make', '我的卡有一笔陌生的交易 fraud'],
  card_lost: ['I lost my card [CREDIT_CARD …1111] yesterday', 'my card was stolen please block it'],
  balance: ['what is my balance on account 12345678', 'balance check please'],
  transfer_money: ['I want to transfer money to my sister', '我想转账'],
  loan_enquiry: ['what is the interest rate on a personal loan', 'loan rate for 5 years'],
};

export interface GeneratedCall {
  metrics: CallMetrics;
  /** Masked customer utterances. */
  customerText: string[];
}

export function generateMonthOfCalls(options: { seed?: number; startMs?: number } = {}): GeneratedCall[] {
  const random = seededRandom(options.seed ?? 8);
  const startMs = options.startMs ?? MONTH_START_MS;
  const out: GeneratedCall[] = [];
  let routine = 0;
  for (let day = 0; day < DAYS; day++) {
    let n = 0;
    for (let hour = FIRST_HOUR; hour <= LAST_HOUR; hour++) {
      for (let q = 0; q < CALLS_PER_HOUR; q++, n++) {
        const startedAtMs = startMs + day * 86_400_000 + hour * 3_600_000 + q * 15 * 60_000 + Math.floor(random() * 10 * 60_000);
        const agentId = AGENT_IDS[out.length % AGENT_IDS.length]!;
        const p = PROFILES[profileOf(agentId)];
        const fraud = day < 15 ? n % 16 === 0 : n % 4 === 0;
        const intent = fraud ? 'fraud_report' : ROUTINE_INTENTS[routine++ % ROUTINE_INTENTS.length]!;
        const handleMs = Math.round((p.handleSec + (random() - 0.5) * 60) * 1000);
        const talkAgentMs = Math.round(handleMs * 0.4);
        const talkCustomerMs = Math.round(handleMs * 0.45);
        const resolutionDraw = random();
        const sentimentStart = Math.round((-0.4 + random() * 0.4) * 1000) / 1000;
        const sentimentEnd = Math.max(-1, Math.min(1, Math.round((sentimentStart + p.sentimentChange + (random() - 0.5) * 0.1) * 1000) / 1000));
        const id = `call-${String(day).padStart(2, '0')}-${String(n).padStart(2, '0')}`;
        out.push({
          metrics: {
            callId: id,
            agentId,
            callType: 'pstn',
            startedAtMs,
            endedAtMs: startedAtMs + handleMs,
            handleMs,
            talkAgentMs,
            talkCustomerMs,
            nonTalkMs: handleMs - talkAgentMs - talkCustomerMs,
            holdMs: 0,
            interruptionsAgent: Math.floor(random() * 3),
            interruptionsCustomer: Math.floor(random() * 3),
            loudnessAgentDbfs: -20 - random() * 6,
            loudnessCustomerDbfs: -24 - random() * 6,
            wpmAgent: 140 + random() * 30,
            wpmCustomer: 120 + random() * 40,
            firstResponseMs: 800 + Math.floor(random() * 1500),
            transferred: random() < p.transferred,
            resolution: resolutionDraw < 0.1 ? 'unknown' : random() < p.resolved ? 'resolved' : 'unresolved',
            resolutionSource: resolutionDraw < 0.1 ? 'none' : 'wrap-up',
            sentimentStart,
            sentimentEnd,
            complianceScore: Math.round(p.compliance + (random() - 0.5) * 8),
            primaryIntent: intent,
            intents: [intent],
          },
          customerText: CUSTOMER_LINES[intent]!,
        });
      }
    }
  }
  return out;
}
