/** `earpiece serve`: runs an Earpiece node until SIGINT/SIGTERM (what `npm start` runs). */
import { loadConfig } from '../config.ts';
import { startEarpiece } from '../earpiece.ts';
import type { CliCommand } from './main.ts';

export const serveCommand: CliCommand = {
  summary: 'run assist-server (speech, ingest, agent UI, archive) until interrupted',
  usage: 'earpiece serve   (configuration: see earpiece config)',
  async run() {
    const config = loadConfig();
    const node = await startEarpiece(config);
    const ui = node.url.replace('0.0.0.0', '127.0.0.1');
    process.stdout.write(
      `\nEarpiece is running (speech engine: ${node.engine.name}).\n` +
        `  Agent UI:  ${ui}/\n  Ingest:    ${ui.replace(/^http/, 'ws')}/ingest\n` +
        `Play a demo call into it from another terminal: npm run demo-call\nPress Ctrl+C to stop.\n\n`,
    );
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    node.logger.info('shutting down');
    await node.close();
    return 0;
  },
};
