/** `earpiece bridge`: runs the telephony bridge daemon (sources from EARPIECE_BRIDGE_* variables) until SIGINT/SIGTERM. */
import { pino } from 'pino';
import { parseArgs } from 'node:util';
import { startBridge } from '../bridge.ts';
import { bridgeConfigTableMarkdown, loadBridgeConfig } from '../config.ts';
import type { BridgeCommand } from './cli-support.ts';

export const bridgeCommand: BridgeCommand = {
  summary: 'run the telephony bridge: SIPREC, plain SIP/RTP, AudioSocket and media-stream sources feeding assist-server',
  usage: 'earpiece bridge [--config]   (configuration: EARPIECE_BRIDGE_* and friends; --config prints them)',
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { config: { type: 'boolean', default: false } } });
    if (values.config) {
      process.stdout.write(bridgeConfigTableMarkdown() + '\n');
      return 0;
    }
    const config = loadBridgeConfig();
    const logger = pino({ level: config.logLevel, base: { service: 'telephony-bridge' } });
    const bridge = await startBridge(config, logger);
    process.stdout.write(`\nTelephony bridge running, streaming calls to ${config.serverUrl}\n${bridge.listening.map((l) => `  ${l.source.padEnd(14)} ${l.detail}`).join('\n')}\n\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    logger.info('bridge shutting down');
    await bridge.close();
    return 0;
  },
};
