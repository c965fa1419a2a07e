/** A validated rules file with every phrase list compiled once, shared by all live calls until the next reload. */
import { PhraseSet } from './phrase-matcher.ts';
import type { ComplianceRule, ComplianceRulesFile } from './rules-schema.ts';

type RuleOf<K extends ComplianceRule['kind']> = Extract<ComplianceRule, { kind: K }>;

export type CompiledRule =
  | { kind: 'required'; rule: RuleOf<'required'>; phrases: PhraseSet }
  | { kind: 'ordered'; rule: RuleOf<'ordered'>; first: PhraseSet; then: PhraseSet; thenIntents: Set<string> }
  | { kind: 'phrase'; rule: RuleOf<'phrase'>; phrases: PhraseSet; except: PhraseSet }
  | { kind: 'pii'; rule: RuleOf<'pii'>; types: Set<string> }
  | { kind: 'hold'; rule: RuleOf<'hold'> }
  | { kind: 'silence'; rule: RuleOf<'silence'> }
  | { kind: 'emotion'; rule: RuleOf<'emotion'> };

export interface RuleSet {
  version: string;
  file: ComplianceRulesFile;
  /** Enabled rules, in file order. */
  rules: CompiledRule[];
}

export function compileRules(file: ComplianceRulesFile): RuleSet {
  const rules: CompiledRule[] = [];
  for (const rule of file.rules) {
    if (!rule.enabled) continue;
    const sim = ('minSimilarity' in rule ? rule.minSimilarity : undefined) ?? file.minSimilarity;
    switch (rule.kind) {
      case 'required':
        rules.push({ kind: rule.kind, rule, phrases: new PhraseSet(rule.phrases, sim) });
        break;
      case 'ordered':
        rules.push({
          kind: rule.kind,
          rule,
          first: new PhraseSet(rule.first.phrases, rule.first.minSimilarity ?? file.minSimilarity),
          then: new PhraseSet(rule.then.phrases, rule.then.minSimilarity ?? file.minSimilarity),
          thenIntents: new Set(rule.then.intents),
        });
        break;
      case 'phrase':
        rules.push({ kind: rule.kind, rule, phrases: new PhraseSet(rule.phrases, sim, rule.words), except: new PhraseSet(rule.except, sim) });
        break;
      case 'pii':
        rules.push({ kind: rule.kind, rule, types: new Set(rule.types) });
        break;
      case 'hold':
        rules.push({ kind: rule.kind, rule });
        break;
      case 'silence':
        rules.push({ kind: rule.kind, rule });
        break;
      case 'emotion':
        rules.push({ kind: rule.kind, rule });
    }
  }
  return { version: file.version, file, rules };
}

/** The rule set of a node whose rules file could not be read: no rules. */
export function emptyRuleSet(): RuleSet {
  return compileRules({ version: 'none', minSimilarity: 0.8, rules: [] });
}
