/**
 * `npm run bench:asr -- --streams N [--engine vosk|pocketsphinx] [--seconds S] [--rate 8000|16000]`
 *
 * Streams N call legs at real time through the ingest into an in-process Earpiece node and prints
 * JSON: partial latency p50/p95 (frame received → partial sent on the agent socket), final latency
 * after end of speech, real-time factor (server CPU seconds per audio second), CPU share, RSS,
 * and the event loop's worst delay (perf_hooks.monitorEventLoopDelay).
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import WebSocket from 'ws';
import { writeWav } from '../assist-server/src/audio/wav-file.ts';
import { resampleAll } from '../assist-server/src/audio/resampler.ts';
import { REPO_ROOT } from '../assist-server/src/config.ts';
import { synthesizeSpeech } from '../assist-server/src/testing/speech-audio.ts';
import { startTestStack } from '../assist-server/src/testing/test-stack.ts';
import { startProcessProbe } from './bench/process-probe.ts';

const { values } = parseArgs({
  options: {
    streams: { type: 'string', default: '4' },
    engine: { type: 'string', default: 'pocketsphinx' },
    seconds: { type: 'string', default: '30' },
    rate: { type: 'string', default: '8000' },
  },
});
const streams = Number(values.streams);
const rate = Number(values.rate);
const targetSeconds = Number(values.seconds);

// Customer speech: sentences with pauses between them (endpoints), repeated to the target length.
const SENTENCES = [
  'I would like to check the balance of my account please.',
  'I think there is a payment on my statement that I did not make.',
  'Can you tell me when my new card will arrive?',
  'I want to change the address on my account.',
];
const clips = await Promise.all(SENTENCES.map((s) => synthesizeSpeech(s, { sampleRateHz: 16000, padStartMs: 300, padEndMs: 900 })));
const parts: Int16Array[] = [];
let total = 0;
for (let i = 0; total < targetSeconds * 16000; i++) {
  const pcm = clips[i % clips.length]!.pcm;
  parts.push(pcm);
  total += pcm.length;
}
const wide = new Int16Array(total);
parts.reduce((at, p) => (wide.set(p, at), at + p.length), 0);
const pcm = rate === 16000 ? wide : resampleAll(wide, 16000, rate);
mkdirSync(join(REPO_ROOT, 'data'), { recursive: true });
const wav = join(REPO_ROOT, 'data', `bench-asr-${rate}.wav`);
await writeWav(wav, { sampleRateHz: rate, channels: [pcm] });
const audioSeconds = pcm.length / rate;

const stack = await startTestStack({ EARPIECE_ASR_ENGINE: values.engine!, EARPIECE_MAX_CALLS: String(streams + 4) }, { logger: pino({ level: 'warn' }, pino.destination(2)) });
// Agents listen, as in production: partials are only "sent" when an agent socket is open.
const sockets = await Promise.all(
  Array.from({ length: streams }, async (_, i) => {
    const { headers } = await stack.signIn(`bench-agent-${i}`, 'agent');
    return new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`${stack.wsUrl}/ws/agent`, { headers });
      ws.once('open', () => resolve(ws)).once('error', reject);
    });
  }),
);

const probe = startProcessProbe();

const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts/bench/replay-streams.ts'), stack.wsUrl, wav, String(streams)], { stdio: ['ignore', 'inherit', 'inherit'] });
const code = await new Promise<number | null>((r) => child.on('exit', r));
await Promise.all(stack.node.registry.all().map((s) => stack.node.registry.stop(s.callId, 'end-of-media')));

const { wallS, cpuS, rssMaxMB, eventLoopDelay } = probe.stop();
const m = stack.node.metrics;
const result = {
  benchmark: 'asr',
  engine: stack.node.engine.name,
  streams,
  sampleRateHz: rate,
  audioSecondsPerStream: Math.round(audioSeconds * 10) / 10,
  wallSeconds: Math.round(wallS * 10) / 10,
  cores: availableParallelism(),
  uvThreadpoolSize: Number(process.env.UV_THREADPOOL_SIZE ?? 4),
  partialLatencyMs: m.partialLatencyMs.summary(),
  finalLatencyAfterSpeechEndMs: m.finalLatencyMs.summary(),
  realTimeFactor: Math.round((cpuS / (audioSeconds * streams)) * 1000) / 1000,
  cpuPercentOfOneCore: Math.round((cpuS / wallS) * 1000) / 10,
  rssMaxMB,
  eventLoopDelayMs: eventLoopDelay,
  framesReceived: m.framesReceived,
  replayExitCode: code,
};
for (const ws of sockets) ws.close();
await stack.close();
process.stdout.write(JSON.stringify(result, null, 2) + '\n');
process.exit(code === 0 ? 0 : 1);
