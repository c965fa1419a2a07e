/**
 * Whether a ranking for an utterance goes to the agent: the same list for the same utterance and
 * stage is not sent again; an empty list is sent only to withdraw something shown for that
 * utterance (otherwise low-confidence noise stays off the screen). The final stage is sent even when
 * it repeats the early list: it tells the agent the suggestion is confirmed.
 */
export type SuggestionStage = 'early' | 'final';

export interface ShownList {
  stage: SuggestionStage;
  articleIds: string[];
}

export function shouldEmit(shown: ShownList | undefined, stage: SuggestionStage, articleIds: string[]): boolean {
  if (articleIds.length === 0) return shown !== undefined && shown.articleIds.length > 0;
  if (!shown) return true;
  return shown.stage !== stage || shown.articleIds.join('\n') !== articleIds.join('\n');
}
