/**
 * Parent side of load-server.ts: starts the assist-server child (its configuration both in its
 * environment and handed to startTestStack), waits until it listens, and drives it over IPC.
 * The child's stdout goes to this process's stderr (stdout stays the bench's JSON); its log lines
 * are tallied (LogTally).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LogTally } from './log-tally.ts';

export interface LoadServer {
  pid: number;
  httpUrl: string;
  wsUrl: string;
  engine: string;
  agentHeaders: Record<string, string>;
  logs: LogTally;
  /** Zeroes the node's metrics (latency recorders, frame counters, event-loop histogram). */
  resetMetrics(): Promise<void>;
  /** GET /api/health (public). */
  health(): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./load-server.ts', import.meta.url));

export async function startLoadServer(agentId: string, serverEnv: Record<string, string>, uvThreadpoolSize: number): Promise<LoadServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, agentId, JSON.stringify(serverEnv)], {
    env: { ...process.env, ...serverEnv, UV_THREADPOOL_SIZE: String(uvThreadpoolSize) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const logs = new LogTally('assist-server');
  child.stdout!.on('data', (d: Buffer) => process.stderr.write(d));
  child.stderr!.on('data', (d: Buffer) => logs.write(d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const ready = await new Promise<{ pid: number; httpUrl: string; wsUrl: string; agentHeaders: Record<string, string>; engine: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('assist-server child did not start within 180 s')), 180_000);
    child.on('message', (m: { type?: string }) => {
      if (m.type === 'ready') clearTimeout(timer), resolve(m as never);
    });
    void exited.then((code) => (clearTimeout(timer), reject(new Error(`assist-server child exited (code ${code}) before it was ready: see its log above`))));
  });

  return {
    ...ready,
    logs,
    resetMetrics: () => request(child, { type: 'reset' }, 'reset-done'),
    async health() {
      const res = await fetch(`${ready.httpUrl}/api/health`);
      if (!res.ok) throw new Error(`GET /api/health: HTTP ${res.status}`);
      return (await res.json()) as Record<string, unknown>;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function request(child: ChildProcess, message: { type: string }, reply: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`assist-server child: no ${reply} within 10 s`)), 10_000);
    const onMessage = (m: { type?: string }) => {
      if (m.type !== reply) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve();
    };
    child.on('message', onMessage);
    child.send(message);
  });
}
