/**
 * Routing and proactive advice for one live call (`assist.advice`), and the caller's history
 * (`customer.context`).
 *
 * - Customer context: at call start the caller's earlier calls are looked up by caller key (dates,
 *   intent labels, outcome, open issue: no transcript text) and sent once, on the first clock tick
 *   (the call is announced by then). The newest earlier call with a recorded outcome that left an
 *   issue open gives an `open-issue` nudge.
 * - Transfer: a confident final customer intent that another skill queue handles (routing table);
 *   or a customer who asks for a manager while angry, frustrated or escalating.
 * - Self-service: a confident final intent the customer can do in the app.
 * - Repeated question: the same confident final intent twice in the call, or two customer finals
 *   with nearly the same content words.
 * Each piece of advice is given once per call (same kind and target). Intents come from final
 * readings only: an early guess may still be revised, and a wrong transfer costs more than a
 * second's delay. At call end the outcome is derived (call-outcome.ts) and stored for the caller's
 * next call.
 * The history is read and written asynchronously (the database): until the caller's earlier calls
 * are in, the hooks queue up and then run in their order (so the context still comes first); the
 * outcome write at the end is waited for by `drain()`.
 */
import type { AssistAdviceEvent, CustomerContext, CustomerEmotionLabel, FinalUtterance } from '../../protocol/index.ts';
import type { CustomerHistoryStore } from '../../store/customer-history-store.ts';
import type { AnalyzerSnapshot, InsightBody, LiveAnalyzer, LiveCallContext } from '../live/live-analyzer.ts';
import { SerialQueue } from '../../recognition/serial-queue.ts';
import { deriveCallOutcome } from './call-outcome.ts';
import { humanizeIntent as humanize } from './intent-label.ts';
import type { RoutingTable } from './routing-table.ts';
import { containsPhrase, contentWords, overlap, phraseWords } from './text-similarity.ts';

export type Advice = Omit<AssistAdviceEvent, 'v' | 'callId' | 'seq' | 'atMs' | 'type'>;

export interface AdviceMonitorOptions {
  /** Read once per call. */
  routing: { readonly current: RoutingTable };
  /** Caller history: none → no customer context and no outcome kept. */
  history?: CustomerHistoryStore | undefined;
  /** Earlier calls shown in the customer context. */
  contextCalls: number;
  now?: () => number;
}

/** Two customer finals with at least this content-word overlap (Jaccard) ask the same thing. */
export const REPEAT_TEXT_OVERLAP = 0.75;
/** …and each has at least this many content words (so "yes please" twice is not a repeat). */
export const REPEAT_MIN_CONTENT_WORDS = 3;
/** A first clock tick later than this: the call was resumed after a restart (nudges already given). */
const RESUMED_AFTER_MS = 1000;
const NEGATIVE = new Set<CustomerEmotionLabel>(['angry', 'frustrated']);

export class AdviceMonitor implements LiveAnalyzer {
  private readonly table: RoutingTable;
  private readonly now: () => number;
  private readonly given: Advice[] = [];
  private readonly givenKeys = new Set<string>();
  private customerContext: CustomerContext | null = null;
  private contextPending = false;
  /** Final intents of the customer: utterance → label (confident, in scope), in call order. */
  private readonly intents: Array<{ utteranceId: string; label: string }> = [];
  private readonly customerFinals: Array<{ utteranceId: string; words: Set<string> }> = [];
  /** Utterances a repeated-question nudge already fired for (by intent or by text). */
  private readonly repeatedUtterances = new Set<string>();
  private readonly repeatedIntents = new Set<string>();
  private readonly selfServiceIntents = new Set<string>();
  private readonly transfers: Array<{ intent: string | null; queue: string }> = [];
  private managerRequest: string | null = null;
  private escalated = false;
  private emotion: { label: CustomerEmotionLabel; confidence: number } | null = null;
  private started = false;
  /** Hooks held while the caller's history is being read (null once it is in, or when there is none). */
  private held: Array<() => void> | null = null;
  /** Outstanding history reads and writes, in order (drain waits for them). */
  private readonly pending = new SerialQueue();

  constructor(
    private readonly context: LiveCallContext,
    private readonly options: AdviceMonitorOptions,
  ) {
    this.table = options.routing.current;
    this.now = options.now ?? Date.now;
    const { history } = options;
    const key = context.callerKey;
    if (history && key) {
      const held: Array<() => void> = (this.held = []);
      void this.pending.run(async () => {
        try {
          await history.linkCaller(context.call.callId, key, context.call.startedAtMs);
          const previousCalls = await history.previousCalls(key, { excludeCallId: context.call.callId, beforeMs: context.call.startedAtMs, limit: options.contextCalls });
          this.customerContext = { previousCalls };
          this.contextPending = true;
        } catch (err) {
          context.log.error({ err: (err as Error).message }, 'cannot read the caller history: no customer context for this call');
        } finally {
          this.held = null;
          for (const hook of held) this.runHook(hook);
        }
      });
    }
  }

  /** Runs a hook now, or after the caller's history is in when it is still being read. */
  private whenReady(hook: () => void): void {
    if (this.held) this.held.push(hook);
    else hook();
  }

  /** A held hook's failure is logged (as the call's analysis logs a hook's), never reaching the others. */
  private runHook(hook: () => void): void {
    try {
      hook();
    } catch (err) {
      this.context.log.error({ err: (err as Error).message }, 'advice failed for a held hook');
    }
  }

  drain(): Promise<void> {
    // a held onEnd adds the outcome write once the history is in: settled() waits for work queued meanwhile
    return this.pending.settled();
  }

  onClock(offsetMs: number): void {
    this.whenReady(() => this.clock(offsetMs));
  }

  private clock(offsetMs: number): void {
    if (this.started) return;
    this.started = true;
    this.announceContext(offsetMs > RESUMED_AFTER_MS);
  }

  onFinal(u: FinalUtterance): void {
    this.whenReady(() => this.final(u));
  }

  private final(u: FinalUtterance): void {
    if (u.role !== 'customer') return;
    const words = contentWords(u.text);
    if (words.size >= REPEAT_MIN_CONTENT_WORDS) {
      const earlier = this.customerFinals.find((f) => f.words.size >= REPEAT_MIN_CONTENT_WORDS && overlap(f.words, words) >= REPEAT_TEXT_OVERLAP);
      if (earlier && !this.repeatedUtterances.has(u.utteranceId)) {
        this.repeatedUtterances.add(u.utteranceId);
        this.give(`repeated-question:text:${earlier.utteranceId}`, {
          kind: 'repeated-question',
          target: null,
          message: 'The customer is asking the same thing again: check the earlier answer was understood, or try explaining it another way.',
          confidence: round(overlap(earlier.words, words)),
          utteranceId: u.utteranceId,
        });
      }
    }
    this.customerFinals.push({ utteranceId: u.utteranceId, words });
    const spoken = phraseWords(u.text);
    if (!this.managerRequest && this.table.escalationPhrases.some((p) => containsPhrase(spoken, p))) {
      this.managerRequest = u.utteranceId;
      this.maybeEscalate();
    }
  }

  onInsight(body: InsightBody): void {
    this.whenReady(() => this.insight(body));
  }

  private insight(body: InsightBody): void {
    if (body.type === 'emotion') {
      this.emotion = { label: body.label, confidence: body.confidence };
      this.maybeEscalate();
      return;
    }
    if (body.type === 'emotion.escalation') {
      this.escalated = true;
      this.maybeEscalate();
      return;
    }
    if (body.stage !== 'final') return;
    const p = body.prediction;
    if (p.outOfScope || p.lowConfidence || p.label === 'oos') return;
    const before = this.intents.find((i) => i.label === p.label && i.utteranceId !== body.utteranceId);
    this.intents.push({ utteranceId: body.utteranceId, label: p.label });
    if (before && !this.repeatedUtterances.has(body.utteranceId)) {
      this.repeatedUtterances.add(body.utteranceId);
      this.repeatedIntents.add(p.label);
      this.give(`repeated-question:intent:${p.label}`, {
        kind: 'repeated-question',
        target: null,
        message: `The customer has asked about ${humanize(p.label)} again: check the earlier answer was understood, or try explaining it another way.`,
        confidence: round(p.confidence),
        utteranceId: body.utteranceId,
      });
    } else if (before) {
      this.repeatedIntents.add(p.label);
    }
    const transfer = this.table.transferFor(p.label);
    if (transfer && p.confidence >= this.table.file.transferMinConfidence) {
      if (this.give(`transfer:${transfer.queue}`, {
        kind: 'transfer',
        target: transfer.queue,
        message: `${capitalize(humanize(p.label))} is handled by the ${transfer.title}: transfer the call to ${transfer.queue}.`,
        confidence: round(p.confidence),
        utteranceId: body.utteranceId,
      })) this.transfers.push({ intent: p.label, queue: transfer.queue });
    }
    const selfService = this.table.selfServiceFor(p.label);
    if (selfService && p.confidence >= this.table.file.selfServiceMinConfidence) {
      this.selfServiceIntents.add(p.label);
      this.give(`self-service:${p.label}`, { kind: 'self-service', target: null, message: selfService, confidence: round(p.confidence), utteranceId: body.utteranceId });
    }
  }

  onEnd(_offsetMs?: number): void {
    this.whenReady(() => this.end());
  }

  private end(): void {
    if (!this.started) {
      this.started = true;
      this.announceContext(false);
    }
    const { history } = this.options;
    if (!history) return;
    const derived = deriveCallOutcome({
      intents: this.intents.map((i) => i.label),
      transfers: this.transfers,
      escalated: this.escalated || this.managerRequest !== null,
      negativeAtEnd: this.emotion !== null && NEGATIVE.has(this.emotion.label),
      repeatedIntents: this.repeatedIntents,
      selfServiceIntents: this.selfServiceIntents,
    });
    const stored = history
      .recordOutcome({ callId: this.context.call.callId, ...derived, recordedAtMs: this.now() })
      .catch((err: Error) => this.context.log.error({ err: err.message }, 'cannot store the call outcome'));
    void this.pending.run(() => stored);
  }

  snapshot(): AnalyzerSnapshot {
    return { advice: [...this.given], customerContext: this.customerContext };
  }

  /** An upset customer who asked for a manager: advise the escalation queue (once). */
  private maybeEscalate(): void {
    const escalation = this.table.file.escalation;
    if (!escalation || !this.managerRequest) return;
    const upset = this.escalated || (this.emotion !== null && NEGATIVE.has(this.emotion.label));
    if (!upset) return;
    const confidence = this.escalated ? 0.9 : (this.emotion?.confidence ?? 0.5);
    if (
      this.give(`transfer:${escalation.queue}`, {
        kind: 'transfer',
        target: escalation.queue,
        message: `The customer is upset and asked for a manager: offer a transfer to the ${escalation.title} (${escalation.queue}).`,
        confidence: round(confidence),
        utteranceId: this.managerRequest,
      })
    )
      this.transfers.push({ intent: null, queue: escalation.queue });
  }

  private announceContext(resumed: boolean): void {
    if (!this.contextPending || !this.customerContext) return;
    this.contextPending = false;
    this.context.emit({ type: 'customer.context', context: this.customerContext });
    // a resumed call had its nudge before the restart
    const latest = this.customerContext.previousCalls.find((c) => c.outcome !== null);
    if (resumed || !latest?.openIssue) return;
    const day = new Date(latest.startedAtMs).toISOString().slice(0, 10);
    this.give(`open-issue:${latest.callId}`, {
      kind: 'open-issue',
      target: null,
      message: `Open issue from this caller's call on ${day}: ${humanize(latest.openIssue)} (${latest.outcome}). Ask whether it has been sorted out.`,
      confidence: 1,
      utteranceId: null,
    });
  }

  /** Emits advice unless the same was given in this call; true when emitted. */
  private give(key: string, advice: Advice): boolean {
    if (this.givenKeys.has(key)) return false;
    this.givenKeys.add(key);
    this.given.push(advice);
    this.context.emit({ type: 'assist.advice', ...advice });
    return true;
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
