/**
 * `npm start`: brings the whole stack up on localhost: assist-server (speech, ingest, agent UI,
 * private Redis, archive worker) and the telephony bridge (SIPREC, SIP/RTP, AudioSocket, media
 * streams), as two processes so each can be restarted or scaled on its own. Prints the agent UI
 * URL. Sizes libuv's threadpool (speech recognition runs on it). Ctrl+C stops both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../assist-server/bin/earpiece.js', import.meta.url));
const env = { ...process.env, UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? String(availableParallelism() + 1) };
const children: ChildProcess[] = [
  spawn(process.execPath, [bin, 'serve'], { stdio: 'inherit', env }),
  spawn(process.execPath, [bin, 'bridge'], { stdio: 'inherit', env }),
];
let exiting = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    exiting = true;
    for (const c of children) c.kill(sig);
  });
}
let remaining = children.length;
let exitCode = 0;
for (const child of children) {
  child.on('exit', (code, signal) => {
    if (!exiting && (code !== 0 || signal)) {
      // One half of the stack died: stop the other and report it.
      exiting = true;
      exitCode = code || 1;
      for (const c of children) if (c !== child) c.kill('SIGTERM');
    }
    if (--remaining === 0) process.exit(exitCode);
  });
}
