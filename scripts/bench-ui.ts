/**
 * `npm run bench:ui [-- --events 240] [--rate 20] [--no-build]`
 *
 * The agent desk as an agent's browser sees it: a whole in-process Earpiece node serves the built
 * agent UI to headless Debian chromium (playwright-core); the agent signs in and a call's transcript
 * events (a partial, then the final, per utterance, both legs) are published through the node's
 * agent hub at `--rate` events/s. For every event: from the server's send time (its `atMs`, stamped
 * right before the push) to the browser having painted the text (first DOM appearance, then the
 * next animation frame and the task after it), p50/p95/max. Plus the desk's JS: the gzipped size of
 * the chunks index.html loads up front and of the JS the browser actually fetched for the desk.
 * Prints JSON on stdout (logs on stderr). Targets: p95 < 50 ms, initial JS < 300 KB gzipped.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { REPO_ROOT } from '../assist-server/src/config.ts';
import { AGENT_UI_PROTOCOL_VERSION, type CallEvent } from '../assist-server/src/protocol/index.ts';
import { launchChromium, signInPage } from '../assist-server/src/testing/browser.ts';
import { startTestStack } from '../assist-server/src/testing/test-stack.ts';
import { PAINT_PROBE } from './bench/paint-probe.ts';
import { allChunks, chunkSize, initialChunks, sumGzip } from './bench/ui-bundle-size.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '240' },
    rate: { type: 'string', default: '20' },
    'no-build': { type: 'boolean', default: false },
  },
});
const EVENTS = Number(values.events);
const RATE_HZ = Number(values.rate);
const say = (line: string) => process.stderr.write(line + '\n');
const TARGETS = { paintP95Ms: 50, initialJsGzipKB: 300 };
const AGENT_ID = 'agent-1';
const CALL_ID = 'bench-ui-call';

const distDir = join(REPO_ROOT, 'agent-ui/dist');
if (!values['no-build']) {
  say('building agent-ui…');
  const build = spawnSync('npm', ['run', 'build', '--silent', '-w', '@earpiece/agent-ui'], { cwd: REPO_ROOT, stdio: ['ignore', 2, 2] });
  if (build.status !== 0) throw new Error('agent-ui build failed');
}
if (!existsSync(join(distDir, 'index.html'))) throw new Error('agent-ui/dist missing: run npm run build -w @earpiece/agent-ui');

const WORDS = 'could you please check the last payment on my account because it looks wrong to me today'.split(' ');
const round = (x: number) => Math.round(x * 10) / 10;
function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);
}
const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: percentile(sorted, 100), mean: sorted.length ? round(sorted.reduce((a, b) => a + b, 0) / sorted.length) : null };
};
const sleepUntil = (atMs: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, atMs - Date.now())));

/** Event n of the call (seq n + 2; seq 1 is call.started): utterance n>>1, partial then final. */
function transcriptEvent(n: number): CallEvent {
  const utterance = n >> 1;
  const role = utterance % 2 === 0 ? 'customer' : 'agent';
  const startMs = utterance * 3000;
  const words = [...WORDS.slice(0, 6 + (utterance % 8)), `ev${n}x`];
  const base = { v: AGENT_UI_PROTOCOL_VERSION, callId: CALL_ID, seq: n + 2, atMs: Date.now(), utteranceId: `u${utterance}`, role, startMs } as const;
  if (n % 2 === 0) return { ...base, type: 'transcript.partial', text: words.slice(0, -3).concat(words.at(-1)!).join(' ') };
  return {
    ...base,
    type: 'transcript.final',
    text: words.join(' '),
    endMs: startMs + 2500,
    words: words.map((word, i) => ({ word, startMs: startMs + i * 150, endMs: startMs + i * 150 + 140, confidence: 0.9 })),
  };
}

const stack = await startTestStack({ EARPIECE_NLU: 'off' }, { logger: pino({ level: 'warn' }, pino.destination(2)) });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await signInPage(page, stack, AGENT_ID, 'agent');
  await page.locator('[data-status="live"]').waitFor({ timeout: 10_000 });
  const loadedJs = (await page.evaluate(`performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.js'))`)) as string[];
  await page.evaluate(PAINT_PROBE);
  const clockOffsetMs = (await page.evaluate('window.__paintProbe.clockOffsetMs')) as number;

  const startedAtMs = Date.now();
  stack.node.hub.publish(
    AGENT_ID,
    { v: AGENT_UI_PROTOCOL_VERSION, callId: CALL_ID, seq: 1, atMs: startedAtMs, type: 'call.started', call: { callId: CALL_ID, agentId: AGENT_ID, callerNumber: '•••• 0100', startedAtMs, legs: ['customer', 'agent'], source: 'bench-ui' } },
    {},
  );
  await page.getByTestId('caller').waitFor({ timeout: 5000 });

  say(`publishing ${EVENTS} transcript events at ${RATE_HZ}/s…`);
  const sentAt = new Map<number, number>();
  const t0 = Date.now() + 100;
  for (let n = 0; n < EVENTS; n++) {
    await sleepUntil(t0 + (n * 1000) / RATE_HZ);
    const event = transcriptEvent(n);
    sentAt.set(n, event.atMs);
    stack.node.hub.publish(AGENT_ID, event, {});
  }
  await page.waitForFunction(`window.__paintProbe.count() >= ${EVENTS}`, undefined, { timeout: 10_000 }).catch(() => say('not every event was painted within 10 s'));
  const { dom, painted } = (await page.evaluate('window.__paintProbe.results()')) as { dom: Array<[number, number]>; painted: Array<[number, number]> };
  const since = (pairs: Array<[number, number]>) => pairs.filter(([n]) => sentAt.has(n)).map(([n, at]) => at - sentAt.get(n)!);
  const paintMs = since(painted);
  const domMs = since(dom);

  const initial = initialChunks(distDir).map((f) => chunkSize(distDir, f));
  const fetched = loadedJs.map((url) => chunkSize(distDir, basename(new URL(url).pathname)));
  const all = allChunks(distDir).map((f) => chunkSize(distDir, f));
  const initialJsGzipKB = round(sumGzip(initial) / 1024);
  const paint = stats(paintMs);
  const chromiumVersion = browser.version();
  process.stdout.write(
    JSON.stringify(
      {
        bench: 'ui',
        chromium: chromiumVersion,
        events: { sent: EVENTS, painted: paintMs.length, rateHz: RATE_HZ },
        paintLatencyMs: paint,
        domLatencyMs: stats(domMs),
        pageClockOffsetMs: round(clockOffsetMs),
        bundle: {
          initialJsGzipKB,
          initialChunks: initial,
          deskFetchedJsGzipKB: round(sumGzip(fetched) / 1024),
          deskFetchedChunks: fetched.map((c) => c.file),
          allJsGzipKB: round(sumGzip(all) / 1024),
          allChunks: all.length,
        },
        targets: TARGETS,
        meets: { paintP95: paint.p95 !== null && paint.p95 < TARGETS.paintP95Ms && paintMs.length === EVENTS, initialJs: initialJsGzipKB < TARGETS.initialJsGzipKB },
      },
      null,
      2,
    ) + '\n',
  );
} finally {
  await browser.close();
  await stack.close();
}
