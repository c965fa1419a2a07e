/**
 * Words of a masked customer utterance that are worth searching the knowledge base for: placeholders
 * (`[CREDIT_CARD …1111]`), held-back `…`, function words and call fillers are dropped.
 */

const STOPWORDS = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both but by can could ' +
    'did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in ' +
    'into is it its itself just me more most my myself no nor not of off on once only or other our ours ourselves out over own same she ' +
    'should so some such than that the their theirs them themselves then there these they this those through to too under until up very ' +
    'was we were what when where which while who whom why will with would you your yours yourself yourselves ' +
    // call fillers and politeness
    'um uh er erm hmm yeah yes ok okay hi hello hey please thanks thank like well so oh actually really maybe also still get got ' +
    "im ive id dont cant wont didnt doesnt isnt wasnt ll ve re s t d m want need know think help could would can"
  ).split(/\s+/),
);

/** Masked-text placeholders and held-back words: `[TYPE]`, `[TYPE …1234]`, `…`. */
const PLACEHOLDER = /\[[^\]]*\]?|…\S*/g;

/** Lower-case content words of a masked utterance, in order, each once. */
export function contentTerms(maskedText: string): string[] {
  const out: string[] = [];
  for (const w of maskedText.replace(PLACEHOLDER, ' ').toLowerCase().replace(/['’]/g, '').split(/[^a-z0-9]+/)) {
    if (w.length < 2 || STOPWORDS.has(w) || /^\d+$/.test(w) || out.includes(w)) continue;
    out.push(w);
  }
  return out;
}

/** A question's grouping key for the gap report: lower case, placeholders as `[TYPE]`, no punctuation. */
export function normalizeQuestion(maskedText: string): string {
  return maskedText
    .replace(/\[([A-Z_]+)[^\]]*\]?/g, (_m, type: string) => ` __${type.toLowerCase()}__ `)
    .toLowerCase()
    .replace(/…\S*/g, ' ')
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9_\s]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => (/^__[a-z_]+__$/.test(w) ? `[${w.slice(2, -2).toUpperCase()}]` : w))
    .join(' ');
}
