/** The compliance LiveAnalyzer: one ComplianceMonitor per call, all reading the node's live rules. */
import type { ComplianceStore } from '../../store/compliance-store.ts';
import type { LiveAnalyzerFactory } from '../live/live-analyzer.ts';
import { ComplianceMonitor } from './compliance-monitor.ts';
import type { RuleSet } from './rule-set.ts';

export interface ComplianceAnalyzerOptions {
  rules: { readonly current: RuleSet };
  store?: ComplianceStore | undefined;
}

export function complianceAnalyzer(options: ComplianceAnalyzerOptions): LiveAnalyzerFactory {
  return (context) => new ComplianceMonitor(context, { rules: options.rules, store: options.store });
}
