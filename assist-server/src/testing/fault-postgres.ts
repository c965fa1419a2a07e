/**
 * Fault tests' PostgreSQL: like testing/private-postgres.ts (initdb into a temp dir, a postgres on a
 * free loopback port, run as the `postgres` OS user when we are root), but the server can be stopped
 * (fast shutdown: clients are cut off, new connections refused) and started again on the same port and
 * data, as an outage of the database would look to a node. An external EARPIECE_TEST_DATABASE_URL
 * server cannot be stopped by a test: then this throws PostgresUnavailableError.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadTestDatabaseConfig } from '../config.ts';
import { freePort } from '../net/free-port.ts';
import { findPostgresBinDir, PostgresUnavailableError } from './private-postgres.ts';

export interface RestartablePostgres {
  /** postgres://… of the test database. */
  url: string;
  /** Fast shutdown: open connections are terminated, new ones refused until start(). */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and deletes its files. */
  close(): Promise<void>;
}

export async function startRestartablePostgres(): Promise<RestartablePostgres> {
  if (loadTestDatabaseConfig().url) throw new PostgresUnavailableError('EARPIECE_TEST_DATABASE_URL names an external server, which a fault test cannot stop');
  const binDir = findPostgresBinDir();
  if (!binDir) throw new PostgresUnavailableError('PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres)');
  const asUser = postgresUser();
  const dir = mkdtempSync(join(tmpdir(), 'ep-fault-pg-'));
  if (asUser) chownSync(dir, asUser.uid, asUser.gid);
  const spawnAs = asUser ? { uid: asUser.uid, gid: asUser.gid } : {};
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
  const dataDir = join(dir, 'data');
  const init = spawnSync(join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions'], { cwd: dir, env, encoding: 'utf8', ...spawnAs });
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new PostgresUnavailableError(`initdb failed (${init.error?.message ?? `exit ${init.status}`}): ${(init.stderr ?? '').trim().slice(-1000)}`);
  }
  const port = await freePort();
  const args = ['-D', dataDir, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'shared_buffers=32MB', '-c', 'max_connections=50'];
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const stop = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    c.kill('SIGINT'); // fast shutdown
    const timer = setTimeout(() => c.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  const start = async () => {
    if (child) return;
    let output = '';
    const c = spawn(join(binDir, 'postgres'), args, { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'], ...spawnAs });
    c.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-2000)));
    c.once('error', (err) => (output += `\n${err.message}`));
    exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    child = c;
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (c.exitCode !== null) throw new PostgresUnavailableError(`postgres exited while starting: ${output.trim()}`);
      const probe = new pg.Client({ connectionString: adminUrl });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        await probe.end();
        return;
      } catch {
        await probe.end().catch(() => undefined);
        if (Date.now() > deadline) throw new PostgresUnavailableError(`postgres did not accept connections on port ${port} in time: ${output.trim()}`);
        await new Promise((r) => setTimeout(r, 50)); // polling for readiness, not a test assertion
      }
    }
  };

  try {
    await start();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE earpiece_fault');
    await admin.end();
  } catch (err) {
    await stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/earpiece_fault`,
    stop,
    start,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Root cannot run initdb: the `postgres` OS user's ids (none needed when not root). */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) throw new PostgresUnavailableError('running as root and there is no `postgres` OS user to run initdb as');
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}
