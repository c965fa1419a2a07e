/** Shapes shared by the simulate transports: what one call needs and how it ended. */
import type { BridgeLogger } from '../core/logger.ts';
import type { SimulationAudio } from './simulation-audio.ts';

export type SimulateVia = 'sip' | 'siprec' | 'audiosocket' | 'twilio';
export const SIMULATE_VIAS: readonly SimulateVia[] = ['sip', 'siprec', 'audiosocket', 'twilio'];

export interface SimulationTarget {
  host: string;
  port: number;
}

export interface SimulationPlan {
  target: SimulationTarget;
  calls: number;
  /** The audio files; call i plays audio[i mod n] (see audioFor). */
  audio: SimulationAudio[];
  agentId: string;
  /** Shared secret for AudioSocket (auth frame) and Twilio (Bearer + token parameter). */
  secret?: string | undefined;
  /** Unique per run: call ids are `sim-<runId>-<index>`. */
  runId: string;
  /** New calls per second (SIPp -r; the socket transports start calls at the same pace). */
  ratePerS: number;
  logger: BridgeLogger;
  signal?: AbortSignal | undefined;
}

export interface CallOutcome {
  index: number;
  ok: boolean;
  /** Why it failed: a SIP status, an AudioSocket error frame's code, a WebSocket close code and reason… */
  reason?: string;
}

export interface SimulationSummary {
  via: SimulateVia;
  target: string;
  calls: { placed: number; completed: number; failed: number };
  /** Failure reason → calls. */
  failures: Record<string, number>;
  /** Legs that carried audio in each call (SIPp plays one stream per SIPREC session, see docs). */
  legsWithAudio: string[];
  audio: { files: string[]; secondsPerCall: number[] };
  durationS: number;
}

/** The audio of call `index`: the files round-robin. */
export function audioFor(plan: Pick<SimulationPlan, 'audio'>, index: number): SimulationAudio {
  return plan.audio[index % plan.audio.length]!;
}

/** Starts `run(i)` for i = 0 … calls-1 at `ratePerS`, all running at once; resolves with every outcome. */
export async function placeCalls(plan: Pick<SimulationPlan, 'calls' | 'ratePerS' | 'signal'>, run: (index: number) => Promise<CallOutcome>): Promise<CallOutcome[]> {
  const started: Array<Promise<CallOutcome>> = [];
  const gapMs = 1000 / plan.ratePerS;
  const t0 = Date.now();
  for (let i = 0; i < plan.calls; i++) {
    const wait = t0 + i * gapMs - Date.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    if (plan.signal?.aborted) break;
    started.push(run(i).catch((err: Error & { code?: string }) => ({ index: i, ok: false, reason: err.code ?? err.message })));
  }
  return Promise.all(started);
}
