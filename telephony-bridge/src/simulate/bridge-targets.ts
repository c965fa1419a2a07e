/** Where a running in-process bridge listens, per simulate transport (from its `listening` list). */
import type { RunningBridge } from '../bridge.ts';
import type { SimulateVia, SimulationTarget } from './simulation-types.ts';

const SOURCE_OF: Record<SimulateVia, string> = { sip: 'sip', siprec: 'siprec', audiosocket: 'audiosocket', twilio: 'media-streams' };

export function bridgeTargets(bridge: Pick<RunningBridge, 'listening'>, host = '127.0.0.1'): Record<SimulateVia, SimulationTarget> {
  const out = {} as Record<SimulateVia, SimulationTarget>;
  for (const via of Object.keys(SOURCE_OF) as SimulateVia[]) {
    const detail = bridge.listening.find((l) => l.source === SOURCE_OF[via])?.detail ?? '';
    const port = /udp\/(\d+)/.exec(detail)?.[1] ?? /:(\d+)/.exec(detail.replace(/^[a-z]+:\/\//, ''))?.[1];
    if (port) out[via] = { host, port: Number(port) };
  }
  return out;
}
