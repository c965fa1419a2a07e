/**
 * `npm start`: brings the whole stack up on localhost (assist-server with speech, ingest, agent UI,
 * private Redis and the archive worker) and prints the agent UI URL. Sizes libuv's threadpool
 * (speech recognition runs on it) before anything else loads.
 */
import { availableParallelism } from 'node:os';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../assist-server/bin/earpiece.js', import.meta.url));
const env = { ...process.env, UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? String(availableParallelism() + 1) };
const child = spawn(process.execPath, [bin, 'serve', ...process.argv.slice(2)], { stdio: 'inherit', env });
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
