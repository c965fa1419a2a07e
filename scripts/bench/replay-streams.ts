/**
 * Bench helper (child process): replays one mono WAV as N concurrent one-leg calls at real-time
 * pace into a running Earpiece, then exits. Kept out of the server's process so its pacing work
 * does not count against the server's event loop or CPU.
 * usage: tsx replay-streams.ts SERVER_WS_URL WAV N
 */
import { replayCall } from '@earpiece/telephony-bridge';

const [serverUrl, wav, n] = process.argv.slice(2);
const streams = Number(n);
const runs = Array.from({ length: streams }, (_, i) =>
  replayCall({ serverUrl: serverUrl!, agentId: `bench-agent-${i}`, callId: `bench-${process.pid}-${i}`, customerWav: wav!, speed: 1 }),
);
const results = await Promise.allSettled(runs);
const failed = results.filter((r) => r.status === 'rejected');
for (const f of failed) console.error((f as PromiseRejectedResult).reason);
process.exit(failed.length ? 1 : 0);
