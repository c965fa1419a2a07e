/**
 * Live suggestions for one call (a LiveAnalyzer): on an early intent reading of a customer partial
 * it pushes `assist.suggestions` stage early, on the final reading stage final for that utterance;
 * without intent readings (no intent model) it ranks customer finals by text alone. Remembers what
 * it suggested and what the agent used (call context for ranking), logs each customer final's
 * suggestions for the knowledge-gap report, and answers which intent a feedback click was about.
 * Ranking reads the database (async): requests run one after another in arrival order, each emitting
 * when it resolves, so a call's lists never overtake each other; `drain()` waits for them.
 */
import type { IntentPrediction, SuggestionsEvent } from '../../protocol/index.ts';
import type { FeedbackAction } from '../../store/knowledge-store.ts';
import { POSITIVE_FEEDBACK } from '../../store/knowledge-store.ts';
import type { InsightBody, LiveAnalyzer, LiveCallContext } from '../live/live-analyzer.ts';
import { SerialQueue } from '../../recognition/serial-queue.ts';
import { normalizeQuestion } from './query-terms.ts';
import type { SuggestionEngine } from './suggestion-engine.ts';
import { shouldEmit, type ShownList, type SuggestionStage } from './suggestion-gate.ts';
import { toSuggestions, type RankedSuggestion } from './suggestion-ranker.ts';

type SuggestionsBody = Omit<SuggestionsEvent, 'v' | 'callId' | 'seq' | 'atMs'>;

export interface AssistAnalyzerOptions {
  engine: SuggestionEngine;
  /** Intent readings will come (an intent model is loaded); false: rank customer finals by text. */
  intentReadings: boolean;
  now: () => number;
  onEnd: () => void;
}

export class AssistAnalyzer implements LiveAnalyzer {
  private readonly partials = new Map<string, string>();
  private readonly finals = new Map<string, string>();
  /** What is on screen per utterance, and what each utterance's last list suggested (for feedback). */
  private readonly shown = new Map<string, ShownList & { suggestions: RankedSuggestion[] }>();
  private readonly used = new Set<string>();
  private latest: Omit<SuggestionsBody, 'type'> | null = null;
  /** The ranking requests of this call, run in arrival order. */
  private readonly work = new SerialQueue();

  constructor(
    private readonly context: LiveCallContext,
    private readonly options: AssistAnalyzerOptions,
  ) {}

  onPartial(role: string, utteranceId: string, maskedText: string): void {
    if (role === 'customer') this.partials.set(utteranceId, maskedText);
  }

  onFinal(utterance: { role: string; utteranceId: string; text: string }): void {
    if (utterance.role !== 'customer') return;
    this.partials.delete(utterance.utteranceId);
    if (this.options.intentReadings) this.finals.set(utterance.utteranceId, utterance.text);
    else this.suggest(utterance.utteranceId, 'final', utterance.text, null);
  }

  onInsight(body: InsightBody): void {
    if (body.type !== 'intent') return;
    const { utteranceId, stage, prediction } = body;
    const text = stage === 'final' ? this.finals.get(utteranceId) : this.partials.get(utteranceId);
    if (text === undefined) return;
    if (stage === 'final') this.finals.delete(utteranceId);
    this.suggest(utteranceId, stage, text, prediction);
  }

  /** The agent used, copied, dismissed or disliked an article: returns the intent it was suggested for. */
  onFeedback(articleId: string, utteranceId: string | null, action: FeedbackAction): { utteranceId: string; intent: string | null } | undefined {
    if (POSITIVE_FEEDBACK.includes(action)) this.used.add(articleId);
    const lists = utteranceId ? [[utteranceId, this.shown.get(utteranceId)] as const] : [...this.shown.entries()].reverse();
    for (const [id, list] of lists) {
      const s = list?.suggestions.find((x) => x.articleId === articleId);
      if (s) return { utteranceId: id, intent: s.why.intent };
    }
    return undefined;
  }

  onEnd(): void {
    this.options.onEnd();
  }

  snapshot() {
    return { suggestions: this.latest };
  }

  drain(): Promise<void> {
    return this.work.settled();
  }

  private suggest(utteranceId: string, stage: SuggestionStage, text: string, prediction: IntentPrediction | null): void {
    void this.work
      .run(() => this.suggestNow(utteranceId, stage, text, prediction))
      .catch((err: Error) => this.context.log.error({ err: err.message, utteranceId, stage }, 'assist suggestions failed for an utterance'));
  }

  private async suggestNow(utteranceId: string, stage: SuggestionStage, text: string, prediction: IntentPrediction | null): Promise<void> {
    const suggestedBefore = new Map<string, number>();
    for (const [id, list] of this.shown) {
      if (id === utteranceId) continue;
      for (const a of list.articleIds) suggestedBefore.set(a, (suggestedBefore.get(a) ?? 0) + 1);
    }
    const ranked = await this.options.engine.suggest(text, prediction, { suggestedBefore, used: this.used });
    const articleIds = ranked.map((r) => r.articleId);
    const shown = this.shown.get(utteranceId);
    if (shouldEmit(shown, stage, articleIds)) {
      this.shown.set(utteranceId, { stage, articleIds, suggestions: ranked });
      const body: SuggestionsBody = { type: 'assist.suggestions', utteranceId, stage, suggestions: toSuggestions(ranked) };
      this.latest = { utteranceId, stage, suggestions: body.suggestions };
      this.context.emit(body);
    }
    // logged after the agent has the list (the gap report can wait a moment; the agent should not)
    if (stage === 'final') {
      await this.options.engine.store.logSuggestions({
        callId: this.context.call.callId,
        utteranceId,
        text,
        normalized: normalizeQuestion(text),
        intent: prediction?.label ?? null,
        intentConfidence: prediction?.confidence ?? null,
        lowConfidence: prediction ? prediction.outOfScope || prediction.lowConfidence : false,
        articleIds,
        atMs: this.options.now(),
      });
    }
  }
}
