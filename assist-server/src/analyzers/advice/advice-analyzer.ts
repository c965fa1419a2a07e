/** The advice LiveAnalyzer: one AdviceMonitor per call, reading the node's routing table and caller history. */
import type { LiveAnalyzerFactory } from '../live/live-analyzer.ts';
import { AdviceMonitor, type AdviceMonitorOptions } from './advice-monitor.ts';

export function adviceAnalyzer(options: AdviceMonitorOptions): LiveAnalyzerFactory {
  return (context) => new AdviceMonitor(context, options);
}
