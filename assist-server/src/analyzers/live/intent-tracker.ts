/**
 * Intent of the customer's utterances in one call: an early guess from a partial once it carries
 * enough words and the model is sure enough (the model's early threshold: a shown guess should
 * rarely flip), then the final prediction, marked as confirming or revising the guess. Keeps the
 * call's intent timeline. Predictions that come back after their utterance moved on are dropped.
 */
import type { IntentEvent, IntentPrediction } from '../../protocol/index.ts';
import type { NluClient } from '../nlu-client.ts';

/** A partial needs this many real words (not `…`, not placeholders) before an early prediction. */
export const EARLY_INTENT_MIN_WORDS = 4;

export type IntentBody = Omit<IntentEvent, 'v' | 'callId' | 'seq' | 'atMs'>;

export class IntentTracker {
  private readonly early = new Map<string, { words: number; inFlight: boolean; prediction?: IntentPrediction }>();
  private readonly finalized = new Set<string>();
  readonly timeline: Array<Omit<IntentBody, 'type'>> = [];
  private pending = new Set<Promise<void>>();

  constructor(
    private readonly nlu: NluClient,
    private readonly emit: (body: IntentBody) => void,
    private readonly onError: (err: Error) => void,
  ) {}

  get enabled(): boolean {
    return this.nlu.intentModelVersion !== undefined;
  }

  onPartial(utteranceId: string, maskedText: string): void {
    if (!this.enabled || this.finalized.has(utteranceId)) return;
    const words = countRealWords(maskedText);
    const state = this.early.get(utteranceId) ?? { words: 0, inFlight: false };
    this.early.set(utteranceId, state);
    // one request per utterance at a time, and only when the partial grew enough to say more
    if (words < EARLY_INTENT_MIN_WORDS || state.inFlight || words < state.words + 2) return;
    state.inFlight = true;
    state.words = words;
    this.track(
      this.nlu.intent(maskedText, 'early').then((prediction) => {
        state.inFlight = false;
        // unsure or out of scope: nothing worth showing yet (a shown guess stays until the final)
        if (this.finalized.has(utteranceId) || prediction.lowConfidence || prediction.outOfScope) return;
        const changed = state.prediction?.label !== prediction.label;
        state.prediction = prediction;
        if (changed) this.emit({ type: 'intent', utteranceId, stage: 'early', status: 'predicted', prediction, modelVersion: this.nlu.intentModelVersion! });
      }),
    );
  }

  onFinal(utteranceId: string, maskedText: string): void {
    if (!this.enabled) return;
    this.finalized.add(utteranceId);
    const early = this.early.get(utteranceId)?.prediction;
    this.early.delete(utteranceId);
    if (countRealWords(maskedText) === 0) return;
    this.track(
      this.nlu.intent(maskedText, 'final').then((prediction) => {
        const status = !early ? 'predicted' : early.label === prediction.label ? 'confirmed' : 'revised';
        const body: IntentBody = { type: 'intent', utteranceId, stage: 'final', status, prediction, modelVersion: this.nlu.intentModelVersion! };
        this.timeline.push(withoutType(body));
        this.emit(body);
      }),
    );
  }

  /** Resolves once every prediction asked for so far has been handled. */
  async drain(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  private track(p: Promise<void>): void {
    const tracked = p.catch((err: Error) => this.onError(err)).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }
}

function withoutType<T extends { type: string }>(body: T): Omit<T, 'type'> {
  const { type: _t, ...rest } = body;
  return rest;
}

/** Words a model can use: not held-back `…`, not `[TYPE]` placeholders. */
export function countRealWords(text: string): number {
  // placeholders split on spaces ("[CREDIT_CARD", "…1111]"): any word starting with [, ] or … is not speech
  return text.split(/\s+/).filter((w) => w && !/^[[\]…]/.test(w)).length;
}
