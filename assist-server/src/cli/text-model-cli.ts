/**
 * What the text-model commands (`intent`, `emotion`, `assist eval`) share: their options, the
 * TF.js runtime with logs on stderr (stdout carries the JSON), and the stdin predict loop.
 */
import { createInterface } from 'node:readline';
import pino from 'pino';
import { loadConfig } from '../config.ts';
import { loadTf, type TfRuntime } from '../inference/tf-runtime.ts';

/** Options of `intent` and `emotion` (train, eval, predict). */
export const TEXT_MODEL_OPTIONS = {
  data: { type: 'string' },
  out: { type: 'string' },
  model: { type: 'string' },
  seed: { type: 'string', default: '1' },
  force: { type: 'boolean', default: false },
} as const;

/** TF.js for a command: logs to stderr, and at `info` only warnings (backend chatter stays out of the way). */
export function loadCliTf(): Promise<TfRuntime> {
  const level = loadConfig().logLevel;
  return loadTf(pino({ level: level === 'info' ? 'warn' : level }, pino.destination(2)));
}

/** `intent predict` / `emotion predict`: one JSON line per non-empty stdin line, then the model is released. */
export async function predictStdinLines<T extends object>(model: { predict(texts: string[]): Promise<T[]>; dispose(): void }): Promise<number> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    const [prediction] = await model.predict([line]);
    process.stdout.write(JSON.stringify({ text: line, ...prediction }) + '\n');
  }
  model.dispose();
  return 0;
}
