/**
 * `earpiece` command line. Each command is one entry in COMMANDS; bridge commands (replay, mic, …)
 * come from @earpiece/telephony-bridge, loaded only when used. Logs go to stderr, results to stdout.
 */
import { configTableMarkdown } from '../config.ts';
import { archiveCommand } from './archive-command.ts';
import { assistCommand } from './assist-command.ts';
import { kbCommand } from './kb-command.ts';
import { emotionCommand } from './emotion-command.ts';
import { intentCommand } from './intent-command.ts';
import { maskCommand } from './mask-command.ts';
import { piiCommand } from './pii-command.ts';
import { serveCommand } from './serve-command.ts';
import { transcribeCommand } from './transcribe-command.ts';
import { userCommand } from './user-command.ts';

export interface CliCommand {
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

const SERVER_COMMANDS: Record<string, CliCommand> = {
  transcribe: transcribeCommand,
  serve: serveCommand,
  mask: maskCommand,
  pii: piiCommand,
  intent: intentCommand,
  emotion: emotionCommand,
  assist: assistCommand,
  kb: kbCommand,
  archive: archiveCommand,
  user: userCommand,
  config: {
    summary: 'print every configuration variable with its default',
    usage: 'earpiece config',
    async run() {
      process.stdout.write(configTableMarkdown() + '\n');
      return 0;
    },
  },
};

async function bridgeCommands(): Promise<Record<string, CliCommand>> {
  try {
    const mod = (await import('@earpiece/telephony-bridge/cli')) as { bridgeCommands: Record<string, CliCommand> };
    return mod.bridgeCommands;
  } catch (err) {
    process.stderr.write(`(bridge commands unavailable: ${(err as Error).message})\n`);
    return {};
  }
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const commands: Record<string, CliCommand> = { ...SERVER_COMMANDS, ...(name && name in SERVER_COMMANDS ? {} : await bridgeCommands()) };
  const command = name ? commands[name] : undefined;
  if (!command) {
    if (name && name !== 'help' && name !== '--help') process.stderr.write(`unknown command: ${name}\n\n`);
    process.stderr.write('usage: earpiece <command> [options]\n\ncommands:\n');
    for (const [n, c] of Object.entries(commands)) process.stderr.write(`  ${n.padEnd(12)} ${c.summary}\n      ${c.usage}\n`);
    return name && name !== 'help' && name !== '--help' ? 2 : 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    const e = err as Error & { code?: string };
    process.stderr.write(`earpiece ${name}: ${e.code ? `[${e.code}] ` : ''}${e.message}\n`);
    return 1;
  }
}
