/** Shared pieces of the bridge commands: the command shape, logger, usage errors, SIGINT → AbortSignal. */
import { pino } from 'pino';
import type { BridgeLogger } from '../core/logger.ts';

export interface BridgeCommand {
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

export const DEFAULT_SERVER_URL = 'ws://127.0.0.1:8080';
export const DEFAULT_AGENT_ID = 'agent-1';

/** Logs go to stderr (stdout carries results). */
export function stderrLogger(): BridgeLogger {
  return pino({ base: { component: 'telephony-bridge' } }, pino.destination(2));
}

export class UsageError extends Error {
  readonly code = 'EARPIECE_BRIDGE_USAGE';
  readonly retryable = false;
}

/** Runs `body` with a signal that aborts on the first SIGINT or SIGTERM; removes its handlers afterwards. */
export async function withHangupSignal<T>(body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await body(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Prints a usage problem and returns exit code 2; rethrows anything else. */
export function usageFailure(err: unknown, usage: string): number {
  const e = err as Error & { code?: string };
  if (err instanceof UsageError || (typeof e.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS'))) {
    process.stderr.write(`${e.message}\nusage: ${usage}\n`);
    return 2;
  }
  throw err;
}
