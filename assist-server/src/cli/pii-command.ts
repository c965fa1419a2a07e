/**
 * `earpiece pii eval --data FILE.jsonl [--lang en|zh]`: runs the PII detector over a labeled set and
 * prints the evaluation JSON (entity recall overall and per type, word precision/recall, share of
 * PII-free lines with anything masked). Output names lines and spans only, never their text.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { evaluatePii, parseEvalJsonl, PiiEvalError } from '../analyzers/pii-masker/pii-eval.ts';
import type { CliCommand } from './main.ts';

export const piiCommand: CliCommand = {
  summary: 'evaluate PII masking on a labeled JSONL set',
  usage: 'earpiece pii eval --data FILE.jsonl [--lang en|zh] (default: zh when the lines are mostly Chinese)',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { data: { type: 'string' }, lang: { type: 'string' } },
    });
    if (positionals[0] !== 'eval' || !values.data) {
      process.stderr.write(`usage: ${this.usage}\n`);
      return 2;
    }
    if (values.lang !== undefined && values.lang !== 'en' && values.lang !== 'zh') {
      process.stderr.write('--lang must be en or zh\n');
      return 2;
    }
    let text: string;
    try {
      text = await readFile(values.data, 'utf8');
    } catch (err) {
      process.stderr.write(`EARPIECE_PII_EVAL_DATA: cannot read ${values.data} (${(err as NodeJS.ErrnoException).code ?? 'error'}); pass an existing JSONL file with --data\n`);
      return 1;
    }
    try {
      const lines = parseEvalJsonl(text);
      const lang = values.lang ?? guessLang(lines.map((l) => l.text).join(''));
      const report = evaluatePii(lines, { lang });
      process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      return 0;
    } catch (err) {
      if (err instanceof PiiEvalError) {
        process.stderr.write(`${err.code}: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
  },
};

/** zh when most letters are CJK characters. */
function guessLang(text: string): 'en' | 'zh' {
  const cjk = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  const latin = text.match(/[a-z]/gi)?.length ?? 0;
  return cjk > latin ? 'zh' : 'en';
}
