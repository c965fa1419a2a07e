/**
 * `npm start`: brings the whole stack up on localhost: assist-server (speech, ingest, agent UI,
 * private Redis, archive worker) and the telephony bridge (SIPREC, SIP/RTP, AudioSocket, media
 * streams), as two processes so each can be restarted or scaled on its own. Prints the agent UI
 * URL.
 *
 * Ctrl+C stops them in order: the bridge first, so the calls it carries are flushed into the
 * server and archived, then the server. (The children run in their own process groups, so the
 * terminal's SIGINT reaches only this script.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../assist-server/bin/earpiece.js', import.meta.url));
// The earpiece command sizes libuv's threadpool itself (EARPIECE_RECOGNIZER_THREADS + 4; bin/earpiece.js).
const env = { ...process.env };
const start = (command: string) => spawn(process.execPath, [bin, command], { stdio: 'inherit', env, detached: true });
const server = start('serve');
const bridge = start('bridge');
const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

let stopping = false;
async function stopAll(code: number): Promise<never> {
  stopping = true;
  bridge.kill('SIGINT');
  await Promise.race([exited(bridge), new Promise((r) => setTimeout(r, 35_000))]);
  bridge.kill('SIGKILL');
  server.kill('SIGINT');
  await Promise.race([exited(server), new Promise((r) => setTimeout(r, 15_000))]);
  server.kill('SIGKILL');
  process.exit(code);
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void (stopping || stopAll(0)));
for (const child of [server, bridge]) {
  // One half of the stack died on its own: stop the other and report it.
  child.on('exit', (code, signal) => void (stopping || stopAll(code || (signal ? 1 : 0) || 1)));
}
