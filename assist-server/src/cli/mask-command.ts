/**
 * `earpiece mask [--lang en|zh] [--json]`: reads one utterance per line on stdin and prints the masked
 * line, or with --json `{"text", "masked": [word indices], "entities": [{"type","start","end"}]}`.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { detectPii, maskWords } from '../analyzers/pii-masker/pii-detector.ts';
import type { CliCommand } from './main.ts';

export const maskCommand: CliCommand = {
  summary: 'mask PII in utterances read line by line from stdin',
  usage: 'earpiece mask [--lang en|zh] [--json]',
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { lang: { type: 'string', default: 'en' }, json: { type: 'boolean', default: false } },
    });
    const lang = values.lang;
    if (lang !== 'en' && lang !== 'zh') {
      process.stderr.write('--lang must be en or zh\n');
      return 2;
    }
    const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of rl) {
      const words = line.split(' ');
      const entities = detectPii(words, { lang });
      const { text, masked } = maskWords(words, entities, {}, lang);
      const out = values.json
        ? JSON.stringify({ text, masked, entities: entities.map(({ type, start, end }) => ({ type, start, end })) })
        : text;
      process.stdout.write(out + '\n');
    }
    return 0;
  },
};
