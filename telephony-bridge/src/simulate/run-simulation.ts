/**
 * Places N concurrent calls into a running Earpiece bridge over one transport, with real packets,
 * and sums up how they went. Used by `earpiece simulate` and `npm run bench:bridge`.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { silentLogger, type BridgeLogger } from '../core/logger.ts';
import { simulateAudioSocketCall } from './audiosocket-simulation.ts';
import { simulateSipCalls } from './sip-simulation.ts';
import { simulateSiprecCalls } from './siprec-simulation.ts';
import { simulateTwilioCall } from './twilio-simulation.ts';
import type { SimulationAudio } from './simulation-audio.ts';
import { placeCalls, type CallOutcome, type SimulateVia, type SimulationPlan, type SimulationSummary, type SimulationTarget } from './simulation-types.ts';

export interface RunSimulationOptions {
  via: SimulateVia;
  target: SimulationTarget;
  calls: number;
  audio: SimulationAudio[];
  agentId: string;
  secret?: string | undefined;
  /** New calls per second; default 10. */
  ratePerS?: number;
  /** Default: 8 random hex digits. */
  runId?: string;
  logger?: BridgeLogger;
  signal?: AbortSignal;
}

export async function runSimulation(o: RunSimulationOptions): Promise<SimulationSummary> {
  const plan: SimulationPlan = {
    target: o.target,
    calls: o.calls,
    audio: o.audio,
    agentId: o.agentId,
    secret: o.secret,
    runId: o.runId ?? randomBytes(4).toString('hex'),
    ratePerS: o.ratePerS ?? 10,
    logger: o.logger ?? silentLogger,
    signal: o.signal,
  };
  const started = performance.now();
  plan.logger.info({ via: o.via, calls: o.calls, runId: plan.runId, target: `${o.target.host}:${o.target.port}` }, 'simulation starting');
  let outcomes: CallOutcome[];
  switch (o.via) {
    case 'sip':
      outcomes = await simulateSipCalls(plan);
      break;
    case 'siprec':
      outcomes = await simulateSiprecCalls(plan);
      break;
    case 'audiosocket':
      outcomes = await placeCalls(plan, (i) => simulateAudioSocketCall(plan, i));
      break;
    case 'twilio':
      outcomes = await placeCalls(plan, (i) => simulateTwilioCall(plan, i));
      break;
  }
  const failures: Record<string, number> = {};
  for (const f of outcomes.filter((c) => !c.ok)) failures[f.reason ?? 'unknown'] = (failures[f.reason ?? 'unknown'] ?? 0) + 1;
  const completed = outcomes.filter((c) => c.ok).length;
  const anyStereo = o.audio.some((a) => a.hasAgent);
  return {
    via: o.via,
    target: `${o.target.host}:${o.target.port}`,
    calls: { placed: outcomes.length, completed, failed: outcomes.length - completed },
    failures,
    legsWithAudio: o.via === 'siprec' || !anyStereo ? ['customer'] : ['agent', 'customer'],
    audio: { files: o.audio.map((a) => a.name), secondsPerCall: o.audio.map((a) => Math.round(a.durationMs) / 1000) },
    durationS: Math.round(performance.now() - started) / 1000,
  };
}
