/**
 * A throwaway PostgreSQL for tests: initdb into a temp dir, a postgres on a free loopback port
 * (fsync off, small memory), one database; close() stops it and deletes the dir. Run as root (as
 * here), initdb and postgres run as the `postgres` OS user (initdb refuses root). With
 * EARPIECE_TEST_DATABASE_URL set, that server is used instead: each call creates a fresh database
 * on it and close() drops it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadTestDatabaseConfig } from '../config.ts';
import { freePort } from '../net/free-port.ts';

export interface PrivatePostgres {
  /** postgres://… of a fresh, empty database. */
  url: string;
  close(): Promise<void>;
}

export class PostgresUnavailableError extends Error {
  readonly code = 'EARPIECE_TEST_POSTGRES_UNAVAILABLE';
}

/** The directory holding initdb and postgres (newest /usr/lib/postgresql/N/bin), or undefined. */
export function findPostgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

export async function startPrivatePostgres(options: { readyTimeoutMs?: number } = {}): Promise<PrivatePostgres> {
  const external = loadTestDatabaseConfig().url;
  if (external) return freshDatabaseOn(external);

  const binDir = findPostgresBinDir();
  if (!binDir) throw new PostgresUnavailableError('PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres): apt-get install postgresql, or set EARPIECE_TEST_DATABASE_URL');
  const asUser = ownerIds();
  const dir = mkdtempSync(join(tmpdir(), 'ep-pg-'));
  const dataDir = join(dir, 'data');
  if (asUser) chownSync(dir, asUser.uid, asUser.gid);
  const spawnAs = asUser ? { uid: asUser.uid, gid: asUser.gid } : {};
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };

  const init = spawnSync(join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions'], {
    cwd: dir,
    env,
    encoding: 'utf8',
    ...spawnAs,
  });
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new PostgresUnavailableError(`initdb failed (${init.error?.message ?? `exit ${init.status}`}): ${(init.stderr ?? '').trim().slice(-1000)}`);
  }

  const port = await freePort();
  const args = [
    '-D', dataDir,
    '-p', String(port),
    '-k', dir,
    '-c', 'listen_addresses=127.0.0.1',
    '-c', 'fsync=off',
    '-c', 'synchronous_commit=off',
    '-c', 'full_page_writes=off',
    '-c', 'shared_buffers=32MB',
    '-c', 'max_connections=50',
  ];
  const child: ChildProcess = spawn(join(binDir, 'postgres'), args, { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'], ...spawnAs });
  let output = '';
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  child.once('error', (err) => (output += `\n${err.message}`));

  const stop = async () => {
    if (!gone) {
      child.kill('SIGINT'); // fast shutdown
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  for (;;) {
    if (gone) {
      await stop();
      throw new PostgresUnavailableError(`postgres exited while starting: ${output.trim()}`);
    }
    const probe = new pg.Client({ connectionString: adminUrl });
    try {
      await probe.connect();
      await probe.query('CREATE DATABASE earpiece_test');
      await probe.end();
      break;
    } catch {
      await probe.end().catch(() => undefined);
      if (Date.now() > deadline) {
        await stop();
        throw new PostgresUnavailableError(`postgres did not accept connections on port ${port} in time: ${output.trim()}`);
      }
      await new Promise((r) => setTimeout(r, 50)); // polling for readiness, not a test assertion
    }
  }
  return { url: `postgres://postgres@127.0.0.1:${port}/earpiece_test`, close: stop };
}

/** A new database on an existing server (EARPIECE_TEST_DATABASE_URL); dropped on close. */
async function freshDatabaseOn(serverUrl: string): Promise<PrivatePostgres> {
  const name = `earpiece_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    close: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Root cannot run initdb: use the `postgres` OS user's ids (none needed when not root). */
function ownerIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) throw new PostgresUnavailableError('running as root and there is no `postgres` OS user to run initdb as (the postgresql package creates it)');
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}
