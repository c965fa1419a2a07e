/**
 * With no REDIS_URL, Earpiece runs its own redis-server: loopback only, a free port, its data in
 * the data dir (append-only file, so queued archive jobs survive a restart), eviction off as
 * BullMQ requires. Stopped on close().
 *
 * If Earpiece was killed without a chance to stop it (SIGKILL, OOM), its redis-server lives on.
 * The next start finds it through `earpiece-redis.json` in the data dir and adopts it instead of
 * starting a second server on the same append-only file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../net/free-port.ts';
import type { Logger } from 'pino';

export interface PrivateRedis {
  url: string;
  close(): Promise<void>;
}

export class RedisStartError extends Error {
  readonly code = 'EARPIECE_REDIS_START';
  readonly retryable = false;
}

export async function startPrivateRedis(options: {
  bin: string;
  dataDir: string;
  logger?: Logger;
  readyTimeoutMs?: number;
  /** A fixed port (tests restarting a server where its clients reconnect); default a free one. */
  port?: number;
}): Promise<PrivateRedis> {
  mkdirSync(options.dataDir, { recursive: true });
  const stateFile = join(options.dataDir, 'earpiece-redis.json');
  const orphan = await adoptOrphan(stateFile);
  if (orphan) {
    options.logger?.warn({ pid: orphan.pid, url: orphan.url }, 'adopted the private redis-server left running by an earlier Earpiece');
    return orphan;
  }
  const port = options.port ?? (await freePort());
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', options.dataDir,
    '--save', '',
    '--appendonly', 'yes',
    '--maxmemory-policy', 'noeviction',
    '--protected-mode', 'yes',
    '--daemonize', 'no',
    '--loglevel', 'warning',
  ];
  let child: ChildProcess;
  try {
    child = spawn(options.bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    throw new RedisStartError(`cannot start ${options.bin}: ${(err as Error).message}`);
  }
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-2000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-2000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));

  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 10_000);
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  probe.on('error', () => undefined); // refused connections are expected until the server is up; the loop retries
  try {
    for (;;) {
      const outcome = await Promise.race([
        probe.connect().then(() => probe.ping()).then(() => 'ready' as const, () => 'retry' as const),
        spawnError.then((e) => e),
        exited.then((code) => new RedisStartError(`${options.bin} exited with code ${code}: ${output.trim()}`)),
      ]);
      if (outcome === 'ready') break;
      if (outcome instanceof Error) {
        throw outcome instanceof RedisStartError
          ? outcome
          : new RedisStartError(`cannot start ${options.bin} (${outcome.message}). Install it (apt-get install redis-server) or set REDIS_URL.`);
      }
      if (Date.now() > deadline) throw new RedisStartError(`redis-server did not answer on port ${port} within the timeout: ${output.trim()}`);
      probe.disconnect();
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  } finally {
    probe.disconnect();
  }
  options.logger?.info({ port, dir: options.dataDir }, 'private redis-server started');
  writeFileSync(stateFile, JSON.stringify({ pid: child.pid, port }));

  let closing: Promise<void> | undefined;
  return {
    url,
    close() {
      closing ??= (async () => {
        if (child.exitCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(timer);
        }
        rmSync(stateFile, { force: true });
      })();
      return closing;
    },
  };
}

/** A redis-server an earlier Earpiece started in this data dir and left running, if it still answers. */
async function adoptOrphan(stateFile: string): Promise<(PrivateRedis & { pid: number }) | undefined> {
  let state: { pid: number; port: number };
  try {
    state = JSON.parse(readFileSync(stateFile, 'utf8')) as { pid: number; port: number };
  } catch {
    return undefined; // none recorded
  }
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const url = `redis://127.0.0.1:${state.port}`;
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  probe.on('error', () => undefined); // a dead orphan just means: start a new server
  const answers = alive(state.pid) && (await probe.connect().then(() => probe.ping(), () => undefined)) === 'PONG';
  probe.disconnect();
  if (!answers) {
    rmSync(stateFile, { force: true });
    return undefined;
  }
  let closing: Promise<void> | undefined;
  return {
    url,
    pid: state.pid,
    close() {
      closing ??= (async () => {
        process.kill(state.pid, 'SIGTERM');
        for (let i = 0; i < 100 && alive(state.pid); i++) await new Promise((r) => setTimeout(r, 50));
        if (alive(state.pid)) process.kill(state.pid, 'SIGKILL');
        rmSync(stateFile, { force: true });
      })();
      return closing;
    },
  };
}
