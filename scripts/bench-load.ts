/**
 * `npm run bench:load -- --calls N [--via sip] [--seconds S] [--vad silero|off] [--soak | --minutes M]
 *                        [--rate CPS] [--env NAME=VALUE]…`
 *
 * Load test of a whole node: N concurrent two-leg calls (synthesized banking conversations, about
 * half of each leg silence) placed by the simulate machinery (SIPp with real RTP for --via sip)
 * into the real bridge (in this process, IngestCallSink) and on into a real assist-server running
 * in a CHILD process (PocketSphinx, live NLU/assist/compliance at their defaults, private Redis,
 * SQLite), so its CPU, RSS and event-loop delay are its own. One agent socket listens (every
 * simulated call goes to one agent), as the agent UI would: partials are produced only for a
 * listening agent. Prints one JSON object on stdout (logs on stderr); `definitions` in it says
 * what each latency measures.
 *
 *   --calls N        concurrent calls (default 4)
 *   --via V          sip (default; the figure), siprec, audiosocket or twilio
 *   --seconds S      audio per call (default 60; in a soak, the length of each wave's calls)
 *   --vad V          silero | off: EARPIECE_VAD for the server (default: the server's own default)
 *   --soak           repeat waves of N calls for 30 minutes and report RSS growth per hour
 *   --minutes M      soak for M minutes instead (implies --soak)
 *   --rate CPS       new calls per second (default min(50, max(10, N/2)): all calls start within ~1 s)
 *   --env NAME=VALUE more server configuration (config.ts names), repeatable; e.g.
 *                    --env EARPIECE_RECOGNIZER_THREADS=2 --env EARPIECE_MAX_CALLS=32
 *
 * The node takes its configuration from the defaults plus --vad and --env only (not from this
 * shell's environment), so runs compare. Admission stays on: calls it refuses are counted (SIPp
 * sees a SIP 503), not a bench failure; to see how a node fares past what admission allows, raise
 * it (--env EARPIECE_CAPACITY_TARGET=…, EARPIECE_MAX_CALLS=…). UV_THREADPOOL_SIZE for the child is
 * this process's, else recognizer threads + 4 (as the earpiece command sizes it). Linux only (the
 * child's CPU and RSS are read from /proc). Exit status 0 when at least one call was held, 1
 * otherwise, 2 on bad flags.
 */
import { availableParallelism } from 'node:os';
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pino from 'pino';
import type { LegRole } from '@earpiece/assist-server/protocol';
import { loadBridgeConfig } from '../telephony-bridge/src/config.ts';
import { IngestCallSink } from '../telephony-bridge/src/forwarder/ingest-call-sink.ts';
import { runSimulation } from '../telephony-bridge/src/simulate/run-simulation.ts';
import { SIMULATE_VIAS, type SimulateVia, type SimulationSummary } from '../telephony-bridge/src/simulate/simulation-types.ts';
import { startBenchSource } from './bench/bench-bridge-sources.ts';
import { observeIngestClients } from './bench/ingest-client-observer.ts';
import { buildLoadCallAudio } from './bench/load-call-audio.ts';
import { LoadAgentListener } from './bench/load-agent-listener.ts';
import { startLoadServer } from './bench/load-server-process.ts';
import { LogTally } from './bench/log-tally.ts';
import { rssGrowthMBPerHour, startNodeUsageSampler } from './bench/node-usage-sampler.ts';
import { procAvailable } from './bench/proc-usage.ts';
import { observeRtpSessions } from './bench/rtp-session-observer.ts';

const USAGE = 'usage: npm run bench:load -- --calls N [--via sip|siprec|audiosocket|twilio] [--seconds S] [--vad silero|off] [--soak | --minutes M] [--rate CPS] [--env NAME=VALUE]…\n';
const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '4' },
    via: { type: 'string', default: 'sip' },
    seconds: { type: 'string', default: '60' },
    vad: { type: 'string' },
    soak: { type: 'boolean', default: false },
    minutes: { type: 'string' },
    rate: { type: 'string' },
    env: { type: 'string', multiple: true, default: [] },
  },
});
const calls = Number(values.calls);
const seconds = Number(values.seconds);
const via = values.via as SimulateVia;
const soakMinutes = values.minutes !== undefined ? Number(values.minutes) : values.soak ? 30 : undefined;
const extraEnv = values.env.map((kv) => kv.split(/=(.*)/s, 2) as [string, string | undefined]);
if (
  !Number.isInteger(calls) ||
  calls < 1 ||
  !(seconds > 0) ||
  !SIMULATE_VIAS.includes(via) ||
  (values.vad !== undefined && !['silero', 'off'].includes(values.vad)) ||
  (soakMinutes !== undefined && !(soakMinutes > 0)) ||
  (values.rate !== undefined && !(Number(values.rate) > 0)) ||
  extraEnv.some(([k, v]) => !/^[A-Z][A-Z0-9_]*$/.test(k) || v === undefined)
) {
  process.stderr.write(USAGE);
  process.exit(2);
}
if (!procAvailable()) {
  process.stderr.write('bench:load reads the server process CPU and RSS from /proc: run it on Linux\n');
  process.exit(2);
}
const ratePerS = values.rate ? Number(values.rate) : Math.min(50, Math.max(10, calls / 2));
const cores = availableParallelism();
const extraEnvMap = Object.fromEntries(extraEnv as Array<[string, string]>);
// As the earpiece command sizes it (assist-server/bin/earpiece.js): decoder threads + 4 for file I/O.
const uvThreadpoolSize = Number(process.env.UV_THREADPOOL_SIZE) || (Number(extraEnvMap.EARPIECE_RECOGNIZER_THREADS) || cores) + 4;
const AGENT = 'bench-agent';
const LEG_RATE_HZ = 8000; // every simulated transport carries 8 kHz telephone audio
const say = (line: string) => process.stderr.write(`bench:load: ${line}\n`);

const serverEnv: Record<string, string> = {
  EARPIECE_LOG_LEVEL: 'warn',
  ...(values.vad ? { EARPIECE_VAD: values.vad } : {}),
  ...extraEnvMap,
};

const callAudio = await buildLoadCallAudio(Math.min(calls, 4), seconds);
say(`starting assist-server in a child process (${JSON.stringify(serverEnv)}, UV_THREADPOOL_SIZE=${uvThreadpoolSize})`);
const server = await startLoadServer(AGENT, serverEnv, uvThreadpoolSize);

// SIPp's working directory is kept when a call failed (refused ones too): the first is kept for reading, later ones removed.
const sippDirsKept: string[] = [];
const bridgeLogs = new LogTally('bridge', (entry) => {
  if (typeof entry.dir !== 'string' || !/simulated calls failed/.test(String(entry.msg))) return;
  if (sippDirsKept.length === 0) sippDirsKept.push(entry.dir);
  else rmSync(entry.dir, { recursive: true, force: true });
});
const logger = pino({ level: 'warn', base: { component: 'bench-load-bridge' } }, bridgeLogs);
const rtp = observeRtpSessions();
const forwarder = observeIngestClients(LEG_RATE_HZ);
const sink = new IngestCallSink({ serverUrl: server.wsUrl, maxCalls: calls + 4, logger });
const config = loadBridgeConfig({
  EARPIECE_BRIDGE_MAX_CALLS: String(calls + 4),
  EARPIECE_SIP_TRANSPORTS: 'udp',
  EARPIECE_AGENT_EXTENSIONS: AGENT,
  EARPIECE_DEFAULT_AGENT_ID: AGENT,
  EARPIECE_RTP_PORT_MIN: '30000',
  EARPIECE_RTP_PORT_MAX: '31999',
});
const source = await startBenchSource(via, config, sink, logger);
const agent = await LoadAgentListener.connect(server.wsUrl, server.agentHeaders, forwarder.legOriginMs);

// The measurement window opens: server metrics zeroed, samplers started.
await server.resetMetrics();
const usage = startNodeUsageSampler(server.pid, soakMinutes !== undefined ? 5000 : 1000);
const windowStart = performance.now();

const waves: SimulationSummary[] = [];
// Soak: RSS growth is fitted after the warm-up, the first wave or the first tenth of the soak, whichever is longer.
let warmUpS = soakMinutes !== undefined ? soakMinutes * 6 : 0;
const deadline = soakMinutes !== undefined ? Date.now() + soakMinutes * 60_000 : 0;
do {
  say(`wave ${waves.length + 1}: ${calls} call(s) × ${seconds} s via ${via}`);
  waves.push(await runSimulation({ via, target: source.target, calls, audio: callAudio.audio, agentId: AGENT, ratePerS, logger }));
  await settle(60_000 + seconds * 1000);
  if (waves.length === 1) warmUpS = Math.max(warmUpS, (performance.now() - windowStart) / 1000);
} while (Date.now() < deadline);

const health = await server.health().catch((err: Error) => ({ status: `GET /api/health failed: ${err.message}` }) as Record<string, unknown>);
const nodeUsage = usage.stop();
const rtpTotals = rtp.totals();
const forwarderTotals = forwarder.totals();
rtp.stop();
forwarder.stop();
agent.close();
await source.close();
await server.stop();
rmSync(callAudio.dir, { recursive: true, force: true });

// ---- the result ----
const metrics = (health.metrics ?? {}) as {
  framesReceived?: number;
  framesDuplicate?: number;
  framesRejected?: number;
  partialLatencyMs?: unknown;
  finalLatencyMs?: unknown;
  eventLoopDelayMs?: unknown;
};
const failures: Record<string, number> = {};
for (const w of waves) for (const [reason, n] of Object.entries(w.failures)) failures[reason] = (failures[reason] ?? 0) + n;
const placed = sum(waves.map((w) => w.calls.placed));
const held = sum(waves.map((w) => w.calls.completed));
const refused = sum(Object.entries(failures).filter(([r]) => /\b503\b|CAPACITY|1013/.test(r)).map(([, n]) => n));
const speakingLegs = waves[0]!.legsWithAudio as LegRole[];
const audioSecondsHeld = held * seconds;
const serverMissing = Math.max(0, forwarderTotals.framesQueued - (metrics.framesReceived ?? 0));
const dropped = {
  total: rtpTotals.packetsLost + rtpTotals.packetsLate + forwarderTotals.framesDropped + forwarderTotals.framesLost + serverMissing + (metrics.framesRejected ?? 0),
  bridgeRtpLost: rtpTotals.packetsLost,
  bridgeRtpLate: rtpTotals.packetsLate,
  bridgeForwarderDropped: forwarderTotals.framesDropped,
  bridgeForwarderLost: forwarderTotals.framesLost,
  serverMissing,
  serverRejected: metrics.framesRejected ?? 0,
  serverDuplicate: metrics.framesDuplicate ?? 0,
};
const cpu = Object.fromEntries(
  Object.entries({ ...nodeUsage.cpuS, sipp: nodeUsage.reapedChildrenCpuS }).map(([name, s]) => [
    name,
    { cpuSeconds: round(s, 1), percentOfOneCore: round((s / nodeUsage.wallS) * 100, 1), cpuSecondsPerCallAudioSecond: audioSecondsHeld ? round(s / audioSecondsHeld, 4) : null },
  ]),
);
// CPU per call-second of everything a call costs on one box (server, its Redis, bridge), SIPp (the stand-in PBX) left out.
const boxCpuS = sum(Object.entries(nodeUsage.cpuS).filter(([name]) => name !== 'assistServerMainThread').map(([, s]) => s));
const agentTotals = agent.totals(speakingLegs);
const extraHealth = Object.fromEntries(Object.entries(health).filter(([k]) => !['speech', 'nlu', 'liveCalls', 'metrics'].includes(k)));

const result = {
  benchmark: 'load',
  mode: soakMinutes !== undefined ? `soak (${soakMinutes} min)` : 'run',
  via,
  setup: {
    calls,
    audioSecondsPerCall: seconds,
    waves: waves.length,
    ratePerS,
    vad: values.vad ?? 'server default (EARPIECE_VAD unset)',
    serverEnv,
    engine: server.engine,
    serverSpeech: health.speech ?? null,
    uvThreadpoolSize,
    cores,
    legsWithSpeech: speakingLegs,
    silenceShareOfLeg: callAudio.silenceShare,
    audioVariants: callAudio.audio.length,
    processes:
      "assistServer = the node (child process), post-call jobs for the calls that ended included, as in production (cpu.assistServerMainThread: its event-loop thread alone; the rest is decoders on the libuv pool, worker threads such as NLU and VAD, GC); its descendants by executable name (redis-server; esbuild = tsx's TypeScript transformer, idle once loaded); bridge = this process (bridge, SIP/RTP, forwarder, the bench agent socket; with --via audiosocket|twilio the simulated callers too); sipp = the SIPp processes (exited children, CPU only)",
  },
  calls: {
    placed,
    held,
    refused,
    otherFailures: placed - held - refused,
    failures,
    startedOnServer: agentTotals.callsStarted,
    endedOnServer: agentTotals.callsEnded,
    withFinalsOnEveryLeg: agentTotals.callsWithFinalsOnEveryLeg,
  },
  latencyMs: {
    partial: metrics.partialLatencyMs ?? null,
    final: metrics.finalLatencyMs ?? null,
    finalLagAtAgent: agent.finalLagMs.summary(),
    suggestionServer: agent.suggestionServerMs.summary(),
    suggestionAtAgent: agent.suggestionSocketMs.summary(),
  },
  definitions: {
    partial: 'server: an audio frame received on the ingest socket → the partial it produced sent on the agent socket (/api/health metrics.partialLatencyMs). Recognition falling behind real time shows here.',
    final: 'server: the frame holding the last word of an utterance received → its final sent on the agent socket (includes the endpointing wait for trailing silence).',
    finalLagAtAgent: "bench: the utterance's last word leaving the bridge toward the server (its leg-clock end on the bridge's clock) → the final received on the bench's agent socket. final plus bridge → server → agent transport.",
    suggestionServer: 'server clock: a customer transcript.final (atMs) → the assist.suggestions (stage final) for the same utterance (atMs), as bench:assist.',
    suggestionAtAgent: 'the same two messages as received on the agent socket.',
    dropped:
      'bridgeRtpLost/Late: RTP packets missing or arriving after the jitter buffer released their slot (concealed); bridgeForwarderDropped/Lost: frames pushed out of the resend buffer unacknowledged / asked for after a reconnect but gone; serverMissing: frames the bridge queued that the server never accepted (queued − server framesReceived); serverRejected: malformed or out-of-call frames.',
    eventLoopDelayMs: 'how late each process ran a timer (perf_hooks monitorEventLoopDelay sampled every 10 ms, the delay past that interval), over the window; the server figure is /api/health metrics.eventLoopDelayMs.',
    window: 'from the server metrics reset just before the first call to the last call ended on the bridge',
  },
  droppedFrames: dropped,
  framesForwarded: { bridgeQueued: forwarderTotals.framesQueued, serverReceived: metrics.framesReceived ?? 0, reconnects: forwarderTotals.reconnects },
  rtp: rtpTotals,
  transcript: { partials: agentTotals.partials, finals: agentTotals.finals, customerFinalsWithSuggestions: agentTotals.customerFinalsWithSuggestions, agentSocketClosedWith: agent.closedWith ?? null },
  cpu,
  cpuBoundEstimate: audioSecondsHeld
    ? {
        cpuSecondsPerCallSecond: round(boxCpuS / audioSecondsHeld, 4),
        callsPerCore: round(audioSecondsHeld / boxCpuS, 2),
        callsOnThisMachine: round((cores * audioSecondsHeld) / boxCpuS, 1),
        note: 'CPU alone (server + its descendants + bridge, not SIPp): how many such calls the cores could decode at real time if nothing else ran; the latency figures decide what the node really holds',
      }
    : null,
  rssMaxMB: Object.fromEntries(Object.entries(nodeUsage.rssMaxMB).map(([k, v]) => [k, Math.round(v)])),
  eventLoopDelayMs: { assistServer: metrics.eventLoopDelayMs ?? null, bridge: nodeUsage.eventLoopDelayMs },
  ...(soakMinutes !== undefined
    ? {
        soak: {
          minutes: soakMinutes,
          rssGrowthMBPerHour: rssGrowthMBPerHour(nodeUsage.samples, warmUpS),
          regression: `least squares over ${nodeUsage.samples.filter((s) => s.tS >= warmUpS).length} RSS samples (every 5 s) after a warm-up of ${Math.round(warmUpS)} s (the first wave or the first tenth of the soak, whichever is longer)`,
          rssFirstLastMB: { first: roundAll(nodeUsage.samples[0]?.rssMB), last: roundAll(nodeUsage.samples.at(-1)?.rssMB) },
        },
      }
    : {}),
  warnings: { assistServer: server.logs.counts, bridge: bridgeLogs.counts },
  sippLogsOfFailedCalls: sippDirsKept[0] ?? null,
  serverHealthAtEnd: { liveCalls: health.liveCalls ?? null, ...extraHealth },
  wallSeconds: round(nodeUsage.wallS, 1),
};
process.stdout.write(JSON.stringify(result, null, 2) + '\n');
process.exit(held > 0 ? 0 : 1);

/** Waits until the bridge has no call left and the server ended every call it started (or `ms` passes). */
async function settle(ms: number): Promise<void> {
  const by = Date.now() + ms;
  while (Date.now() < by && (sink.activeCalls > 0 || agent.callsEnded < agent.callsStarted)) await new Promise((r) => setTimeout(r, 100));
  if (sink.activeCalls > 0) say(`${sink.activeCalls} call(s) still open on the bridge after ${ms / 1000} s`);
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function roundAll(r: Record<string, number> | undefined): Record<string, number> | null {
  return r ? Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(v)])) : null;
}
