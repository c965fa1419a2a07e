/**
 * The node's assist suggestions: the live-analyzer factory (one AssistAnalyzer per call) and agent
 * feedback, recorded with the intent the article was suggested for, so that it shifts later
 * rankings (and the call's own context at once).
 */
import type { Logger } from 'pino';
import type { FeedbackAction, KnowledgeStore } from '../../store/knowledge-store.ts';
import type { LiveAnalyzerFactory } from '../live/live-analyzer.ts';
import { AssistAnalyzer } from './assist-analyzer.ts';
import { SuggestionEngine } from './suggestion-engine.ts';
import type { RankSettings } from './suggestion-ranker.ts';

export interface AssistServiceOptions {
  store: KnowledgeStore;
  /** Whether intent readings come (an intent model is loaded). */
  intentReadings: boolean;
  rank?: Partial<RankSettings>;
  /** The agent a call (live or stored) belongs to, undefined for an unknown call. */
  callAgent: (callId: string) => string | undefined | Promise<string | undefined>;
  log: Logger;
  now?: () => number;
}

export interface FeedbackInput {
  callId: string;
  agentId: string | null;
  articleId: string;
  utteranceId: string | null;
  action: FeedbackAction;
}

export class FeedbackError extends Error {
  constructor(
    readonly code: 'EARPIECE_CALL_NOT_FOUND' | 'EARPIECE_AGENT_NOT_ON_CALL' | 'EARPIECE_KB_ARTICLE_NOT_FOUND',
    message: string,
  ) {
    super(message);
  }
}

export class AssistService {
  readonly engine: SuggestionEngine;
  private readonly live = new Map<string, AssistAnalyzer>();
  private readonly now: () => number;

  constructor(private readonly options: AssistServiceOptions) {
    this.engine = new SuggestionEngine(options.store, options.rank);
    this.now = options.now ?? Date.now;
  }

  readonly factory: LiveAnalyzerFactory = (context) => {
    const callId = context.call.callId;
    const analyzer = new AssistAnalyzer(context, {
      engine: this.engine,
      intentReadings: this.options.intentReadings,
      now: this.now,
      onEnd: () => this.live.get(callId) === analyzer && this.live.delete(callId),
    });
    this.live.set(callId, analyzer);
    return analyzer;
  };

  /** Records feedback; the agent (when given) must be the call's agent. */
  async recordFeedback(input: FeedbackInput): Promise<{ intent: string | null; utteranceId: string | null }> {
    const owner = await this.options.callAgent(input.callId);
    if (owner === undefined) throw new FeedbackError('EARPIECE_CALL_NOT_FOUND', `no call ${input.callId}`);
    if (input.agentId !== null && owner !== input.agentId) throw new FeedbackError('EARPIECE_AGENT_NOT_ON_CALL', `agent ${input.agentId} is not on call ${input.callId}`);
    if (!(await this.options.store.get(input.articleId))) throw new FeedbackError('EARPIECE_KB_ARTICLE_NOT_FOUND', `no article ${input.articleId}`);
    const about =
      this.live.get(input.callId)?.onFeedback(input.articleId, input.utteranceId, input.action) ??
      (await this.options.store.loggedSuggestion(input.callId, input.utteranceId, input.articleId));
    const utteranceId = input.utteranceId ?? about?.utteranceId ?? null;
    const intent = about?.intent ?? null;
    await this.options.store.recordFeedback({ ...input, agentId: input.agentId ?? owner, utteranceId, intent, atMs: this.now() });
    this.options.log.debug({ callId: input.callId, articleId: input.articleId, action: input.action, intent }, 'assist feedback recorded');
    return { intent, utteranceId };
  }
}
