/**
 * Fault tests' Redis: a private redis-server (redis/private-redis.ts) on a fixed port, so a test can
 * stop it and start it again where its clients (BullMQ, ioredis) reconnect. Stopping is SIGTERM:
 * redis writes its append-only file and exits, as on an orderly restart of a real server.
 */
import { join } from 'node:path';
import { loadConfig } from '../config.ts';
import { freePort } from '../net/free-port.ts';
import { startPrivateRedis, type PrivateRedis } from '../redis/private-redis.ts';

export interface RestartableRedis {
  url: string;
  /** Stops the server (its clients see the connection drop and retry). */
  stop(): Promise<void>;
  /** Starts it again on the same port and append-only file. */
  start(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startRestartableRedis(dir: string): Promise<RestartableRedis> {
  const bin = loadConfig().redisServerBin;
  const dataDir = join(dir, 'fault-redis');
  const port = await freePort();
  let server: PrivateRedis | undefined = await startPrivateRedis({ bin, dataDir, port });
  const stop = async () => {
    const s = server;
    server = undefined;
    await s?.close();
  };
  const start = async () => {
    server ??= await startPrivateRedis({ bin, dataDir, port });
  };
  return {
    url: server.url,
    stop,
    start,
    restart: async () => {
      await stop();
      await start();
    },
    close: stop,
  };
}
