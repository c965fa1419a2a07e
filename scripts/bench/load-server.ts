/**
 * Bench helper (child process of `npm run bench:load`): one real assist-server node (startTestStack:
 * PocketSphinx, private redis-server, SQLite in a temp data dir, every live feature at its default),
 * alone in its process so its CPU, RSS and event-loop delay are its own. Talks to the parent over IPC:
 *   → { type: 'ready', pid, httpUrl, wsUrl, agentHeaders, engine }   once listening, with a signed-in agent
 *   ← { type: 'reset' }  → { type: 'reset-done' }   zeroes the node's metrics (the measurement window opens)
 *   ← { type: 'stop' }   closes the node and exits
 * usage: node --import tsx load-server.ts AGENT_ID SERVER_ENV_JSON
 * SERVER_ENV_JSON: the configuration variables the node is started with (config.ts names); the parent
 * also puts them in this process's environment.
 */
import pino from 'pino';
import { CONFIG_VARIABLES } from '../../assist-server/src/config.ts';
import { startTestStack } from '../../assist-server/src/testing/test-stack.ts';

const [agentId, envJson] = process.argv.slice(2);
const serverEnv = JSON.parse(envJson ?? '{}') as Record<string, string>;
// Logs (warn and up) go to stderr as JSON lines: the parent tallies them (frames missing, recognition behind…).
const logger = pino({ level: serverEnv.EARPIECE_LOG_LEVEL ?? 'warn' }, pino.destination(2));
// The test stack turns admission off and keeps two warm decoders (tests are small); a load test measures the node as shipped.
const shipped = (name: string) => CONFIG_VARIABLES.find((v) => v.name === name)!.default;
const asShipped = { EARPIECE_CAPACITY_TARGET: shipped('EARPIECE_CAPACITY_TARGET'), EARPIECE_RECOGNIZER_WARM_DECODERS: shipped('EARPIECE_RECOGNIZER_WARM_DECODERS') };
const stack = await startTestStack({ ...asShipped, ...serverEnv }, { logger });
const { headers } = await stack.signIn(agentId!, 'agent');
await stack.node.decodersWarm; // a node in service loaded them long before its calls

const send = (m: unknown) => process.send?.(m);
// Stop from the parent, the parent gone without saying so, or Ctrl+C: close the node (and its private redis-server).
let closing = false;
const closeAndExit = () => void (closing || ((closing = true), stack.close().finally(() => process.exit(0))));
process.on('disconnect', closeAndExit);
process.once('SIGINT', closeAndExit);
process.once('SIGTERM', closeAndExit);
process.on('message', (m: { type?: string }) => {
  if (m.type === 'reset') {
    stack.node.metrics.reset();
    send({ type: 'reset-done' });
  } else if (m.type === 'stop') {
    closeAndExit();
  }
});
send({ type: 'ready', pid: process.pid, httpUrl: stack.httpUrl, wsUrl: stack.wsUrl, agentHeaders: headers, engine: stack.node.engine.name });
