/** Worker side of ModelWorker: loads models with `init`, then answers calls one at a time. */
import { parentPort, workerData } from 'node:worker_threads';

export type ModelHandlers = Record<string, (payload: never) => Promise<unknown> | unknown>;

export async function serveModelWorker<Init>(setup: (init: Init) => Promise<{ info: unknown; handlers: ModelHandlers }>): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('serveModelWorker must run in a worker thread');
  let served: { info: unknown; handlers: ModelHandlers };
  try {
    served = await setup((workerData as { init: Init }).init);
  } catch (err) {
    port.postMessage({ type: 'error', message: `models failed to load: ${(err as Error).message}` });
    return;
  }
  let chain = Promise.resolve();
  port.on('message', (msg: { id: number; method: string; payload: unknown }) => {
    chain = chain.then(async () => {
      const handler = served.handlers[msg.method];
      try {
        if (!handler) throw new Error(`unknown method ${msg.method}`);
        port.postMessage({ type: 'result', id: msg.id, result: await handler(msg.payload as never) });
      } catch (err) {
        port.postMessage({ type: 'error', id: msg.id, message: (err as Error).message });
      }
    });
  });
  port.postMessage({ type: 'ready', info: served.info });
}
