/** The bridge's commands for the `earpiece` CLI (loaded by assist-server's cli/main.ts). */
import type { BridgeCommand } from './cli-support.ts';
import { bridgeCommand } from './bridge-command.ts';
import { micCommand } from './mic-command.ts';
import { replayCommand } from './replay-command.ts';
import { simulateCommand } from './simulate-command.ts';

export type { BridgeCommand } from './cli-support.ts';

export const bridgeCommands: Record<string, BridgeCommand> = {
  bridge: bridgeCommand,
  replay: replayCommand,
  mic: micCommand,
  simulate: simulateCommand,
};
