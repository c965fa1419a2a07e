/** A worker for ModelWorker's own tests: "models" that echo, fail or kill the thread on request. */
import { serveModelWorker } from '../model-worker-host.ts';

await serveModelWorker(async (init: { prefix: string; failLoad?: boolean }) => {
  if (init.failLoad) throw new Error('no model here');
  return {
    info: { loaded: init.prefix },
    handlers: {
      echo: (texts: string[]) => texts.map((t) => `${init.prefix}${t}`),
      fail: () => {
        throw new Error('bad input');
      },
      crash: () => process.exit(3),
      spin: (ms: number) => {
        const end = Date.now() + ms;
        while (Date.now() < end); // blocks the worker, not the caller's event loop
        return ms;
      },
    },
  };
});
