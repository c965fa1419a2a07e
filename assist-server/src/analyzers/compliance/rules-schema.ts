/**
 * The compliance rules file (YAML, versioned): what an agent must say and by when, what they must
 * not say, PII they must not read back, hold and silence limits, and customer-emotion conditions.
 * Validated with zod; a file that fails gets one readable line per problem.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const Severity = z.enum(['info', 'warning', 'critical']);
const Role = z.enum(['agent', 'customer']);
const Phrase = z.string().trim().min(1, 'a phrase must not be empty').max(200);
/** 0..1: how close a recognized word window must be to a phrase (1 = the same words after stemming). */
const Similarity = z.number().min(0.5).max(1);

const common = {
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'ids are lower-case letters, digits, ".", "_" or "-" (at most 64)'),
  title: z.string().trim().min(1).max(120),
  /** What the agent should do about it. */
  message: z.string().trim().min(1).max(500),
  severity: Severity,
  enabled: z.boolean().default(true),
};

/** Phrases of one leg; `intents`: customer intent labels that count as the step too. */
const Step = z.strictObject({
  role: Role.default('agent'),
  phrases: z.array(Phrase).default([]),
  intents: z.array(z.string().min(1).max(128)).default([]),
  minSimilarity: Similarity.optional(),
});

/** Must be said (by `role`) within `withinMs` of call start, or before the call ends when unset. */
const RequiredRule = z.strictObject({
  ...common,
  kind: z.literal('required'),
  role: Role.default('agent'),
  phrases: z.array(Phrase).min(1, 'a required rule needs at least one phrase'),
  withinMs: z.number().int().positive().max(3_600_000).optional(),
  minSimilarity: Similarity.optional(),
});

/** `first` must happen before `then`: then before first is a hit (once per call). */
const OrderedRule = z.strictObject({
  ...common,
  kind: z.literal('ordered'),
  first: Step.refine((s) => s.phrases.length > 0, 'the first step needs at least one phrase'),
  then: Step.refine((s) => s.phrases.length + s.intents.length > 0, 'the then step needs phrases or intents'),
});

/** Said by `role` (any leg when unset): a hit. Phrases match fuzzily, words by stem; `except` phrases cancel. */
const PhraseRule = z
  .strictObject({
    ...common,
    kind: z.literal('phrase'),
    role: Role.optional(),
    phrases: z.array(Phrase).default([]),
    words: z.array(z.string().trim().regex(/^[\p{L}\p{N}'-]+$/u, 'words are single words (use phrases for more)')).default([]),
    except: z.array(Phrase).default([]),
    minSimilarity: Similarity.optional(),
  })
  .refine((r) => r.phrases.length + r.words.length > 0, 'a phrase rule needs phrases or words');

/**
 * A masked PII placeholder (`[CREDIT_CARD]`, or `[CREDIT_CARD …1111]` under a last-4 display policy)
 * in an utterance of `role`. Either form means the whole number was spoken: a mention of the last
 * four digits alone is not PII and is never masked, so it never fires.
 */
const PiiRule = z.strictObject({
  ...common,
  kind: z.literal('pii'),
  role: Role.default('agent'),
  types: z.array(z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'PII types are upper case, e.g. CREDIT_CARD')).min(1),
});

const HoldRule = z.strictObject({ ...common, kind: z.literal('hold'), maxMs: z.number().int().positive() });
/** Neither leg speaking (no partial or final) for longer than maxMs, outside holds. */
const SilenceRule = z.strictObject({ ...common, kind: z.literal('silence'), maxMs: z.number().int().positive() });

/** `consecutive` customer emotion readings in `labels` in a row, or an emotion.escalation when `onEscalation`. */
const EmotionRule = z.strictObject({
  ...common,
  kind: z.literal('emotion'),
  labels: z.array(z.enum(['angry', 'frustrated', 'confused', 'neutral', 'satisfied', 'sad'])).min(1).default(['angry']),
  consecutive: z.number().int().min(1).max(50).default(3),
  onEscalation: z.boolean().default(true),
});

export const ComplianceRule = z.discriminatedUnion('kind', [RequiredRule, OrderedRule, PhraseRule, PiiRule, HoldRule, SilenceRule, EmotionRule]);
export type ComplianceRule = z.infer<typeof ComplianceRule>;
export type ComplianceRuleKind = ComplianceRule['kind'];

export const ComplianceRulesFile = z
  .strictObject({
    /** Bumped on every change (PUT bumps it when left unchanged). */
    version: z.union([z.string().trim().min(1).max(64), z.number()], { error: 'a version is required: a string or number (1 to 64 characters), bumped on every change' }).transform(String),
    description: z.string().max(2000).optional(),
    /** Default similarity for fuzzy phrases. */
    minSimilarity: Similarity.default(0.8),
    rules: z.array(ComplianceRule),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.rules.forEach((r, i) => {
      if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `duplicate rule id "${r.id}"` });
      seen.add(r.id);
    });
  });
export type ComplianceRulesFile = z.infer<typeof ComplianceRulesFile>;

export class RulesValidationError extends Error {
  readonly code = 'EARPIECE_COMPLIANCE_RULES_INVALID';
  constructor(
    readonly problems: string[],
    source: string,
  ) {
    super(`compliance rules ${source} rejected: ${problems.join('; ')}`);
  }
}

/** Validates a parsed document; throws RulesValidationError naming each problem by its path (`rules[2] (no-returns).phrases: …`). */
export function validateRules(doc: unknown, source = 'document'): ComplianceRulesFile {
  const result = ComplianceRulesFile.safeParse(doc);
  if (result.success) return result.data;
  const rules = (doc as { rules?: Array<{ id?: unknown }> } | null)?.rules;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path
      .map((p, i) => {
        if (typeof p === 'number') {
          const id = i === 1 && issue.path[0] === 'rules' && Array.isArray(rules) ? rules[p]?.id : undefined;
          return `[${p}]${typeof id === 'string' ? ` (${id})` : ''}`;
        }
        return i === 0 ? String(p) : `.${String(p)}`;
      })
      .join('');
    return `${path || '(file)'}: ${issue.message}`;
  });
  throw new RulesValidationError(problems, source);
}

/** Parses and validates rules YAML (JSON is YAML too). */
export function parseRulesYaml(text: string, source = 'document'): ComplianceRulesFile {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new RulesValidationError([`not valid YAML: ${(err as Error).message.split('\n')[0]}`], source);
  }
  return validateRules(doc, source);
}
