/**
 * `earpiece simulate`: load-tests a running bridge by placing N concurrent calls with real
 * packets (SIPp for sip/siprec, AudioSocket TCP, Twilio Media Streams over WebSocket). Prints a
 * JSON summary on stdout; exits 0 when every call was held, 1 otherwise.
 */
import { parseArgs } from 'node:util';
import { loadSimulationAudio } from '../simulate/simulation-audio.ts';
import { runSimulation } from '../simulate/run-simulation.ts';
import { SIMULATE_VIAS, type SimulateVia } from '../simulate/simulation-types.ts';
import { DEFAULT_AGENT_ID, UsageError, stderrLogger, usageFailure, withHangupSignal, type BridgeCommand } from './cli-support.ts';

const USAGE =
  'earpiece simulate --via sip|siprec|audiosocket|twilio --calls N --audio FILE.wav|DIR [--target HOST:PORT] [--duration S] [--agent-id ID] [--rate CALLS_PER_S] [--secret S]';

/** Where the bridge listens by default (EARPIECE_SIP_PORT, EARPIECE_SIPREC_PORT, EARPIECE_AUDIOSOCKET_PORT, EARPIECE_MEDIA_STREAM_PORT). */
export const DEFAULT_TARGET_PORTS: Record<SimulateVia, number> = { sip: 5062, siprec: 5060, audiosocket: 9092, twilio: 9093 };

export const simulateCommand: BridgeCommand = {
  summary: 'place N concurrent calls into a running bridge with real packets (SIPp, AudioSocket, Twilio Media Streams) and print a JSON summary',
  usage: USAGE,
  async run(argv) {
    let opts;
    try {
      const { values } = parseArgs({
        args: argv,
        options: {
          via: { type: 'string' },
          calls: { type: 'string', default: '1' },
          audio: { type: 'string' },
          target: { type: 'string' },
          duration: { type: 'string' },
          'agent-id': { type: 'string', default: DEFAULT_AGENT_ID },
          rate: { type: 'string', default: '10' },
          secret: { type: 'string' },
        },
      });
      const via = values.via as SimulateVia;
      if (!SIMULATE_VIAS.includes(via)) throw new UsageError(`--via must be one of ${SIMULATE_VIAS.join(', ')}${values.via ? ` (got ${values.via})` : ''}`);
      if (!values.audio) throw new UsageError('--audio FILE.wav or DIR is required (stereo WAV = agent/customer, mono = customer)');
      const calls = positiveNumber(values.calls, '--calls', true);
      const rate = positiveNumber(values.rate, '--rate', false);
      const duration = values.duration === undefined ? undefined : positiveNumber(values.duration, '--duration', false);
      const target = parseTarget(values.target, DEFAULT_TARGET_PORTS[via]);
      opts = { via, calls, rate, duration, target, audio: values.audio, agentId: values['agent-id'], secret: values.secret };
    } catch (err) {
      return usageFailure(err, USAGE);
    }
    const logger = stderrLogger();
    const audio = await loadSimulationAudio(opts.audio, { durationS: opts.duration });
    const summary = await withHangupSignal((signal) =>
      runSimulation({ via: opts.via, target: opts.target, calls: opts.calls, audio, agentId: opts.agentId, secret: opts.secret, ratePerS: opts.rate, logger, signal }),
    );
    process.stdout.write(JSON.stringify(summary) + '\n');
    return summary.calls.failed === 0 ? 0 : 1;
  },
};

function positiveNumber(raw: string, name: string, integer: boolean): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new UsageError(`${name} must be a positive ${integer ? 'integer' : 'number'}, got ${raw}`);
  return n;
}

/** HOST:PORT, [v6]:PORT, HOST (default port) or :PORT (127.0.0.1). */
export function parseTarget(raw: string | undefined, defaultPort: number): { host: string; port: number } {
  if (!raw) return { host: '127.0.0.1', port: defaultPort };
  const m = /^(?:\[([^\]]+)\]|([^:]*))(?::(\d+))?$/.exec(raw.trim());
  const port = m?.[3] === undefined ? defaultPort : Number(m[3]);
  if (!m || !Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--target must be HOST:PORT, got ${raw}`);
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}
