/**
 * `assist eval`: the intent model and the suggestion ranker over labelled utterances, against a
 * knowledge base. A hit at k: an article tagged with the utterance's gold intent is among the first
 * k suggestions the agent would be shown (the live threshold applies: nothing shown is a miss).
 * `oos` utterances are scored apart: the share that (rightly) get no suggestion. Latency is the
 * ranking alone (the model's is `intent eval`'s), one utterance at a time as the live path ranks.
 */
import { performance } from 'node:perf_hooks';
import { percentile, round } from '../../inference/text/classification-metrics.ts';
import { normalizeText, words } from '../../inference/text/normalize-text.ts';
import { stratifiedSplit } from '../../inference/text/stratified-split.ts';
import type { IntentModel, IntentPrediction } from '../intent/intent-model.ts';
import { OOS_LABEL, type IntentPack, type Utterance } from '../intent/intent-pack.ts';
import { HELD_OUT_FRACTION, SPLIT_SEED } from '../intent/intent-training.ts';
import type { SuggestionEngine } from './suggestion-engine.ts';

export interface HitScores {
  n: number;
  top1: number | null;
  top3: number | null;
}

export interface AssistEvalReport extends HitScores {
  model: string;
  kb: { articles: number; intentsCovered: number; labelsWithoutArticle: string[] };
  /** In-scope utterances given at least one suggestion. */
  shown: number | null;
  /** Hit rates if every in-scope utterance's ranking were shown whole (no threshold). */
  unthresholded: { top1: number | null; top3: number | null };
  oos: { n: number; quiet: number | null };
  rankingLatencyMs: { p50: number; p95: number; runs: number };
  bySource?: Record<string, HitScores>;
}

/**
 * The utterances the intent trainer held out of a pack (same normalization, split fraction and seed
 * as intent-training.ts), so scores are on utterances the model never trained on.
 */
export function heldOutOf(pack: IntentPack): Utterance[] {
  const items = pack.train.map((u) => ({ u, n: words(normalizeText(u.text)).length })).filter((x) => x.n > 0);
  return stratifiedSplit(items, (x) => x.u.label, HELD_OUT_FRACTION, SPLIT_SEED).heldOut.map((x) => x.u);
}

export async function evaluateAssist(model: IntentModel, engine: SuggestionEngine, data: Utterance[]): Promise<AssistEvalReport> {
  if (data.length === 0) throw new Error('no utterances to evaluate');
  const articles = await engine.store.list({ limit: 1000 });
  const intentsOf = new Map(articles.map((a) => [a.id, new Set(a.intents)]));
  const covered = new Set(articles.flatMap((a) => a.intents));

  const predictions: IntentPrediction[] = [];
  for (let i = 0; i < data.length; i += 64) predictions.push(...(await model.predict(data.slice(i, i + 64).map((u) => u.text))));

  await engine.suggest(data[0]!.text, predictions[0]!); // warm-up (statement caches)
  const times: number[] = [];
  const shown: string[][] = [];
  const whole: string[][] = [];
  for (const [i, u] of data.entries()) {
    const t = performance.now();
    const ranked = await engine.suggest(u.text, predictions[i]!);
    times.push(performance.now() - t);
    shown.push(ranked.map((r) => r.articleId));
    whole.push(u.label === OOS_LABEL ? [] : (await engine.suggest(u.text, predictions[i]!, undefined, { minConfidence: 0, runnerUpMin: 0 })).map((r) => r.articleId));
  }

  const hitAt = (ids: string[], label: string, k: number) => ids.slice(0, k).some((id) => intentsOf.get(id)?.has(label));
  const inScope = data.map((_, i) => i).filter((i) => data[i]!.label !== OOS_LABEL);
  const oos = data.map((_, i) => i).filter((i) => data[i]!.label === OOS_LABEL);
  const share = (idx: number[], ok: (i: number) => boolean) => (idx.length ? round(idx.filter(ok).length / idx.length) : null);
  const scores = (idx: number[]): HitScores => ({
    n: idx.length,
    top1: share(idx, (i) => hitAt(shown[i]!, data[i]!.label, 1)),
    top3: share(idx, (i) => hitAt(shown[i]!, data[i]!.label, 3)),
  });

  const report: AssistEvalReport = {
    model: model.version,
    kb: { articles: articles.length, intentsCovered: covered.size, labelsWithoutArticle: [...new Set(inScope.map((i) => data[i]!.label))].filter((l) => !covered.has(l)).sort() },
    ...scores(inScope),
    shown: share(inScope, (i) => shown[i]!.length > 0),
    unthresholded: { top1: share(inScope, (i) => hitAt(whole[i]!, data[i]!.label, 1)), top3: share(inScope, (i) => hitAt(whole[i]!, data[i]!.label, 3)) },
    oos: { n: oos.length, quiet: share(oos, (i) => shown[i]!.length === 0) },
    rankingLatencyMs: { p50: round(percentile(times, 0.5), 3), p95: round(percentile(times, 0.95), 3), runs: times.length },
  };
  const sources = [...new Set(inScope.map((i) => data[i]!.source ?? ''))];
  if (sources.length > 1) report.bySource = Object.fromEntries(sources.map((s) => [s, scores(inScope.filter((i) => (data[i]!.source ?? '') === s))]));
  return report;
}
