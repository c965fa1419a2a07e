/**
 * `npm run bench:assist [-- --concurrency 1,20] [--rounds-single 3] [--engine pocketsphinx|vosk]`
 *
 * Suggestion latency as the agent sees it: a whole in-process Earpiece node (speech engine, NLU
 * worker with the default intent model, the default knowledge pack) takes synthesized customer calls
 * (banking questions, flite speech) replayed at real time by a child process, N calls at once. For
 * every customer final that gets suggestions, on that agent's socket:
 * - serverMs: the `assist.suggestions` (stage final) event's atMs minus the `transcript.final` atMs
 *   (the server's clock: intent model through the worker, ranking, push);
 * - socketMs: the same measured where the agent's socket receives the two messages;
 * - intentMs: transcript.final → the final intent reading (the model's share of it).
 * Prints JSON on stdout (logs on stderr): p50/p95/max per concurrency, and the node process's CPU,
 * RSS and event-loop delay.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import WebSocket from 'ws';
import { writeWav } from '../assist-server/src/audio/wav-file.ts';
import { REPO_ROOT } from '../assist-server/src/config.ts';
import type { AgentServerMessage } from '../assist-server/src/protocol/index.ts';
import { synthesizeSpeech } from '../assist-server/src/testing/speech-audio.ts';
import { startTestStack } from '../assist-server/src/testing/test-stack.ts';
import { startProcessProbe } from './bench/process-probe.ts';

const { values } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '1,20' },
    'rounds-single': { type: 'string', default: '3' },
    engine: { type: 'string', default: 'pocketsphinx' },
  },
});
const levels = values.concurrency.split(',').map(Number);
const say = (line: string) => process.stderr.write(line + '\n');

const QUESTIONS = [
  'I lost my card yesterday and I think somebody stole it',
  'I sent money to my friend last week but she still has not received the transfer',
  'how do I activate the new card you sent me',
  'there is a payment on my statement that I did not make',
  'what is the exchange rate for euros',
  'my card got declined at the shop today',
];
const clips = await Promise.all(QUESTIONS.map((q) => synthesizeSpeech(q, { sampleRateHz: 16000, padStartMs: 300, padEndMs: 1200 })));
const total = clips.reduce((n, c) => n + c.pcm.length, 0);
const pcm = new Int16Array(total);
clips.reduce((at, c) => (pcm.set(c.pcm, at), at + c.pcm.length), 0);
const wav = join(mkdtempSync(join(tmpdir(), 'bench-assist-')), 'customer.wav');
await writeWav(wav, { sampleRateHz: 16000, channels: [pcm] });
const audioSeconds = Math.round((total / 16000) * 10) / 10;

const maxCalls = Math.max(...levels) + 4;
const stack = await startTestStack({ EARPIECE_ASR_ENGINE: values.engine, EARPIECE_MAX_CALLS: String(maxCalls) }, { logger: pino({ level: 'warn' }, pino.destination(2)) });
if (!stack.node.nlu?.intentModelVersion) say('no intent model: suggestions fall back to text relevance (npm run setup trains the model)');

interface Samples {
  serverMs: number[];
  socketMs: number[];
  intentMs: number[];
  finals: number;
}

/** Listens as agents bench-agent-0..n-1 (the replay child's agent ids) and collects latencies. */
async function listen(n: number, samples: Samples): Promise<WebSocket[]> {
  const sessions = await Promise.all(Array.from({ length: n }, (_, i) => stack.signIn(`bench-agent-${i}`, 'agent')));
  return Promise.all(
    Array.from({ length: n }, (_, i) => {
      const finals = new Map<string, { atMs: number; receivedAt: number }>();
      const ws = new WebSocket(`${stack.wsUrl}/ws/agent`, { headers: sessions[i]!.headers });
      ws.on('message', (data) => {
        const receivedAt = performance.now();
        const m = JSON.parse(data.toString()) as AgentServerMessage;
        if (m.type === 'transcript.final' && m.role === 'customer') {
          finals.set(`${m.callId}/${m.utteranceId}`, { atMs: m.atMs, receivedAt });
          samples.finals++;
        } else if (m.type === 'intent' && m.stage === 'final') {
          const f = finals.get(`${m.callId}/${m.utteranceId}`);
          if (f) samples.intentMs.push(m.atMs - f.atMs);
        } else if (m.type === 'assist.suggestions' && m.stage === 'final') {
          const f = finals.get(`${m.callId}/${m.utteranceId}`);
          if (f) samples.serverMs.push(m.atMs - f.atMs), samples.socketMs.push(receivedAt - f.receivedAt);
        }
      });
      return new Promise<WebSocket>((resolve, reject) => ws.once('open', () => resolve(ws)).once('error', reject));
    }),
  );
}

async function replay(n: number): Promise<number | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts/bench/replay-streams.ts'), stack.wsUrl, wav, String(n)], { stdio: ['ignore', 2, 2] });
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  await Promise.all(stack.node.registry.all().map((s) => stack.node.registry.stop(s.callId, 'end-of-media')));
  return code;
}

function stats(xs: number[]): { n: number; p50: number | null; p95: number | null; max: number | null } {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => (s.length ? Math.round(s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]! * 10) / 10 : null);
  return { n: s.length, p50: q(0.5), p95: q(0.95), max: q(1) };
}

const results: unknown[] = [];
for (const calls of levels) {
  const rounds = calls === 1 ? Math.max(1, Number(values['rounds-single'])) : 1;
  const samples: Samples = { serverMs: [], socketMs: [], intentMs: [], finals: 0 };
  const sockets = await listen(calls, samples);
  say(`bench:assist: ${calls} concurrent call(s) × ${rounds} round(s), ${audioSeconds} s of customer speech each`);
  const probe = startProcessProbe();
  const replayExitCodes: Array<number | null> = [];
  for (let r = 0; r < rounds; r++) replayExitCodes.push(await replay(calls));
  const proc = probe.stop();
  for (const ws of sockets) ws.close();
  results.push({
    concurrentCalls: calls,
    rounds,
    customerFinals: samples.finals,
    finalsWithSuggestions: samples.serverMs.length,
    suggestionLatencyMs: { server: stats(samples.serverMs), socket: stats(samples.socketMs) },
    intentLatencyMs: stats(samples.intentMs),
    process: proc,
    // non-zero: the bridge gave up waiting for the server to confirm a call's end (recognition behind
    // real time on this machine); the latencies above are unaffected, they start at each final
    replayExitCodes,
  });
}
const kbArticles = await stack.node.knowledge.count();
await stack.close();
process.stdout.write(
  JSON.stringify(
    {
      bench: 'assist',
      engine: stack.node.engine.name,
      intentModel: stack.node.nlu?.intentModelVersion ?? null,
      nluBackend: stack.node.nlu?.info.backend ?? null,
      kbArticles,
      cores: availableParallelism(),
      questionsPerCall: QUESTIONS.length,
      audioSecondsPerCall: audioSeconds,
      results,
    },
    null,
    2,
  ) + '\n',
);
process.exit(0);
