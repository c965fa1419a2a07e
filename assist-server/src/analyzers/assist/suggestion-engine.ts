/**
 * Suggestions for one utterance from the knowledge base as it is now: gathers the candidates
 * (articles of the reading's top intents, and full-text matches of the masked words), the words each
 * matched and the agents' feedback, then ranks them (suggestion-ranker.ts). Reads the database on
 * every call (async: independent reads run together), so an article edit counts from the next
 * utterance on.
 */
import type { KnowledgeStore } from '../../store/knowledge-store.ts';
import { contentTerms } from './query-terms.ts';
import { rankSuggestions, type CallContext, type Candidate, type IntentReading, type RankedSuggestion, type RankSettings } from './suggestion-ranker.ts';

export const NO_CONTEXT: CallContext = { suggestedBefore: new Map(), used: new Set() };

export class SuggestionEngine {
  constructor(
    readonly store: KnowledgeStore,
    readonly settings: Partial<RankSettings> = {},
  ) {}

  async suggest(maskedText: string, intent: IntentReading | null, context: CallContext = NO_CONTEXT, overrides: Partial<RankSettings> = {}): Promise<RankedSuggestion[]> {
    const terms = contentTerms(maskedText);
    const labels = [...new Set((intent?.top ?? []).map((t) => t.label).filter((l) => l !== 'oos'))];
    const [hits, tagged] = await Promise.all([this.store.search(terms, 20), this.store.forIntents(labels)]);
    const text = new Map(hits.map((h) => [h.id, h.score]));
    const articles = new Map(tagged.map((r) => [r.article.id, r.article]));
    const missing = [...text.keys()].filter((id) => !articles.has(id));
    for (const [id, a] of await this.store.getMany(missing)) articles.set(id, a);
    if (articles.size === 0) return [];

    const [matches, feedback] = await Promise.all([this.store.termMatches(text.size ? terms : []), this.store.feedbackTotals([...articles.keys()])]);
    const candidates: Candidate[] = [...articles.values()].map((article) => ({
      article,
      textScore: text.get(article.id) ?? 0,
      matchedTerms: terms.filter((t) => matches.get(t)?.has(article.id)),
    }));
    return rankSuggestions(candidates, intent, context, (id, label) => feedback.get(id)?.get(label ?? ''), { ...this.settings, ...overrides });
  }
}
