/**
 * `npm run bench:bridge -- --calls N [--via sip|siprec|audiosocket|twilio] [--seconds S] [--recognition on|off] [--rate CPS]`
 *
 * Runs the bridge in this process (the source under test, wired as startBridge wires it) and
 * places N concurrent calls of S seconds into it with the simulate machinery (SIPp, real RTP, for
 * sip/siprec). Prints JSON: calls held, RTP packets received/lost/late summed over the RTP
 * sessions, jitter-buffer delay p50/p95 (summarized over sessions), bridge CPU per call (process
 * CPU seconds / call / audio second; SIPp runs in its own process and is not counted, while the
 * AudioSocket and Twilio clients of --via audiosocket|twilio run in this process and are), RSS
 * max and the event loop's worst delay. Jitter delay is arrival → release from the jitter buffer:
 * packets arriving in order leave at once (0 ms); only a wait for a missing one shows.
 *   --recognition off (default): the bridge's sink is DiscardingCallSink, a benchmark stand-in
 *     for assist-server that counts and drops audio: the bridge alone.
 *   --recognition on: a real assist-server (startTestStack, PocketSphinx) in this process behind
 *     the real IngestCallSink; CPU then includes recognition.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { synthesizeCall } from '../assist-server/src/testing/speech-audio.ts';
import { AgentSocketProbe, startTestStack, type TestStack } from '../assist-server/src/testing/test-stack.ts';
import { loadBridgeConfig } from '../telephony-bridge/src/config.ts';
import type { CallSink } from '../telephony-bridge/src/core/call-sink.ts';
import { IngestCallSink } from '../telephony-bridge/src/forwarder/ingest-call-sink.ts';
import { loadSimulationAudio } from '../telephony-bridge/src/simulate/simulation-audio.ts';
import { runSimulation } from '../telephony-bridge/src/simulate/run-simulation.ts';
import { SIMULATE_VIAS, type SimulateVia } from '../telephony-bridge/src/simulate/simulation-types.ts';
import { startBenchSource } from './bench/bench-bridge-sources.ts';
import { DiscardingCallSink } from './bench/discarding-call-sink.ts';
import { startProcessProbe } from './bench/process-probe.ts';
import { observeRtpSessions } from './bench/rtp-session-observer.ts';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '10' },
    via: { type: 'string', default: 'sip' },
    seconds: { type: 'string', default: '20' },
    recognition: { type: 'string', default: 'off' },
    rate: { type: 'string' },
  },
});
const calls = Number(values.calls);
const seconds = Number(values.seconds);
const via = values.via as SimulateVia;
const recognition = values.recognition === 'on';
if (!Number.isInteger(calls) || calls < 1 || !(seconds > 0) || !SIMULATE_VIAS.includes(via) || !['on', 'off'].includes(values.recognition!)) {
  process.stderr.write('usage: npm run bench:bridge -- --calls N [--via sip|siprec|audiosocket|twilio] [--seconds S] [--recognition on|off] [--rate CPS]\n');
  process.exit(2);
}
const ratePerS = values.rate ? Number(values.rate) : Math.min(50, Math.max(10, calls / 2));
const AGENT = 'bench-agent';

const logger = pino({ level: 'warn', base: { component: 'bench-bridge' } }, pino.destination(2));
const call = await synthesizeCall(
  [
    { role: 'agent', text: 'thank you for calling how can I help you today' },
    { role: 'customer', text: 'I would like to check the balance of my account please' },
    { role: 'agent', text: 'sure I can help with that can you confirm your address' },
    { role: 'customer', text: 'I think there is a payment on my statement that I did not make' },
  ],
  { sampleRateHz: 8000 },
);
const audio = await loadSimulationAudio(call.path, { durationS: seconds });

let stack: TestStack | undefined;
let probe: AgentSocketProbe | undefined;
let sink: CallSink;
const discarding = recognition ? undefined : new DiscardingCallSink(calls + 4);
if (recognition) {
  stack = await startTestStack({ EARPIECE_MAX_CALLS: String(calls + 4) }, { logger });
  probe = await AgentSocketProbe.connect(stack.wsUrl, AGENT); // partials flow only to a listening agent, as in production
  sink = new IngestCallSink({ serverUrl: stack.wsUrl, maxCalls: calls + 4, logger });
} else {
  sink = discarding!;
}
const config = loadBridgeConfig({ EARPIECE_BRIDGE_MAX_CALLS: String(calls + 4), EARPIECE_SIP_TRANSPORTS: 'udp', EARPIECE_AGENT_EXTENSIONS: AGENT, EARPIECE_DEFAULT_AGENT_ID: AGENT, EARPIECE_RTP_PORT_MIN: '30000', EARPIECE_RTP_PORT_MAX: '31999' });
const rtp = observeRtpSessions();
const source = await startBenchSource(via, config, sink, logger);

const processProbe = startProcessProbe();
const summary = await runSimulation({ via, target: source.target, calls, audio, agentId: AGENT, ratePerS, logger });
// The last calls' ends (jitter flush, ingest stop) may still be on their way.
const settleBy = Date.now() + 30_000;
while (sink.activeCalls > 0 && Date.now() < settleBy) await new Promise((r) => setTimeout(r, 50));
const { wallS, cpuS, rssMaxMB, eventLoopDelay } = processProbe.stop();
const rtpTotals = rtp.totals();
rtp.stop();

const metrics = stack?.node.metrics;
const result = {
  benchmark: 'bridge',
  via,
  recognition: recognition ? `on (${stack!.node.engine.name}, in-process assist-server)` : 'off (DiscardingCallSink stand-in)',
  calls,
  audioSecondsPerCall: seconds,
  ratePerS,
  callsHeld: summary.calls.completed,
  callsFailed: summary.calls.failed,
  failures: summary.failures,
  callsStillOpenAtEnd: sink.activeCalls,
  rtp: rtpTotals,
  bridgeCpuSecondsPerCallPerAudioSecond: Math.round((cpuS / calls / seconds) * 1e5) / 1e5,
  cpuPercentOfOneCore: round((cpuS / wallS) * 100),
  cores: availableParallelism(),
  rssMaxMB,
  eventLoopDelayMaxMs: eventLoopDelay.max,
  eventLoopDelayP99Ms: eventLoopDelay.p99,
  wallSeconds: round(wallS),
  ...(discarding ? { sink: discarding.totals } : {}),
  ...(metrics ? { recognitionLatency: { partialMs: metrics.partialLatencyMs.summary(), finalAfterSpeechEndMs: metrics.finalLatencyMs.summary() } } : {}),
};
await source.close();
probe?.close();
await stack?.close();
process.stdout.write(JSON.stringify(result) + '\n');
process.exit(summary.calls.failed === 0 ? 0 : 1);

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
