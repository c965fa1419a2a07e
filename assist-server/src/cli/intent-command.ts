/**
 * `earpiece intent train|eval|predict`: trains intent models from domain packs, scores them, and
 * classifies lines from stdin. Progress goes to stderr, results (JSON) to stdout.
 */
import { parseArgs } from 'node:util';
import { defaultIntentModelDir, intentModelsRoot, loadIntentModel } from '../analyzers/intent/intent-model.ts';
import { evaluateIntentModel } from '../analyzers/intent/intent-eval.ts';
import { loadPack } from '../analyzers/intent/intent-pack.ts';
import { trainIntentModel } from '../analyzers/intent/intent-training.ts';
import { dataAssetFile } from '../inference/training-data.ts';
import type { CliCommand } from './main.ts';
import { loadCliTf, predictStdinLines, TEXT_MODEL_OPTIONS } from './text-model-cli.ts';

const USAGE = `earpiece intent train --data FILE.csv|FILE.yaml|pack.json [--out DIR] [--seed N] [--force]
      earpiece intent eval --data FILE.csv|FILE.yaml|pack.json [--model DIR]
      earpiece intent predict [--model DIR]   (one utterance per stdin line → JSON lines)`;

const say = (line: string) => process.stderr.write(line + '\n');

export const intentCommand: CliCommand = {
  summary: 'train, evaluate or run intent models (domain packs: CSV, YAML or pack.json)',
  usage: USAGE,
  async run(argv) {
    const [sub, ...rest] = argv;
    const { values } = parseArgs({
      args: rest,
      options: TEXT_MODEL_OPTIONS,
    });
    const runtime = loadCliTf;
    if (sub === 'train') {
      if (!values.data) return usage();
      const seed = Number(values.seed);
      if (!Number.isInteger(seed) || seed < 0) {
        say('--seed must be a non-negative integer');
        return 2;
      }
      const result = await trainIntentModel({
        data: values.data,
        outRoot: values.out ?? intentModelsRoot(),
        seed,
        runtime: await runtime(),
        resolveAsset: (id) => dataAssetFile(id),
        log: say,
        force: values.force,
      });
      process.stdout.write(JSON.stringify({ dir: result.dir, version: result.version, skipped: result.skipped, ...(result.metrics ? { metrics: result.metrics } : {}) }, null, 2) + '\n');
      return 0;
    }
    if (sub === 'eval') {
      if (!values.data) return usage();
      const pack = await loadPack(values.data, (id) => dataAssetFile(id), 'eval');
      const data = pack.eval.length ? pack.eval : pack.train;
      const model = await loadIntentModel(values.model ?? defaultIntentModelDir(), await runtime());
      say(`scoring ${model.version} (${model.dir}) on ${data.length} utterances`);
      const report = await evaluateIntentModel(model, data);
      process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      model.dispose();
      return 0;
    }
    if (sub === 'predict') return predictStdinLines(await loadIntentModel(values.model ?? defaultIntentModelDir(), await runtime()));
    return usage();
  },
};

function usage(): number {
  process.stderr.write(`usage: ${USAGE}\n`);
  return 2;
}
