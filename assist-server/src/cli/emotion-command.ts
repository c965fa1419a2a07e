/**
 * `earpiece emotion train|eval|predict`: the text emotion model (GoEmotions). Progress goes to
 * stderr, results (JSON) to stdout.
 */
import { parseArgs } from 'node:util';
import { evaluateEmotionModel } from '../analyzers/emotion/text/emotion-eval.ts';
import { defaultEmotionModelDir, emotionModelsRoot, loadEmotionTextModel } from '../analyzers/emotion/text/emotion-text-model.ts';
import { trainEmotionModel } from '../analyzers/emotion/text/emotion-training.ts';
import { readGoEmotionsTsv } from '../analyzers/emotion/text/goemotions.ts';
import { dataAssetFile } from '../inference/training-data.ts';
import type { CliCommand } from './main.ts';
import { loadCliTf, predictStdinLines, TEXT_MODEL_OPTIONS } from './text-model-cli.ts';

const USAGE = `earpiece emotion train [--data train.tsv] [--out DIR] [--seed N] [--force]   (default data: GoEmotions original train set)
      earpiece emotion eval [--data FILE.tsv] [--model DIR]   (labels.txt beside FILE.tsv; default: GoEmotions ekman dev set)
      earpiece emotion predict [--model DIR]   (one utterance per stdin line → JSON lines)`;

const say = (line: string) => process.stderr.write(line + '\n');

/** The data asset's file, with its labels.txt installed beside it. */
async function goEmotionsAsset(set: 'original' | 'ekman', part: 'train' | 'dev'): Promise<string> {
  await dataAssetFile(`goemotions-${set}-labels`);
  return dataAssetFile(`goemotions-${set}-${part}`);
}

export const emotionCommand: CliCommand = {
  summary: 'train, evaluate or run the text emotion model (GoEmotions)',
  usage: USAGE,
  async run(argv) {
    const [sub, ...rest] = argv;
    const { values } = parseArgs({
      args: rest,
      options: TEXT_MODEL_OPTIONS,
    });
    const runtime = loadCliTf;
    if (sub === 'train') {
      const seed = Number(values.seed);
      if (!Number.isInteger(seed) || seed < 0) {
        say('--seed must be a non-negative integer');
        return 2;
      }
      const result = await trainEmotionModel({
        data: values.data ?? (await goEmotionsAsset('original', 'train')),
        outRoot: values.out ?? emotionModelsRoot(),
        seed,
        runtime: await runtime(),
        log: say,
        force: values.force,
      });
      process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      return 0;
    }
    if (sub === 'eval') {
      const file = values.data ?? (await goEmotionsAsset('ekman', 'dev'));
      const { rows, labels } = await readGoEmotionsTsv(file);
      const model = await loadEmotionTextModel(values.model ?? defaultEmotionModelDir(), await runtime());
      say(`scoring ${model.version} (${model.dir}) on ${rows.length} rows of ${file}`);
      const report = await evaluateEmotionModel(model, rows, labels);
      process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      model.dispose();
      return 0;
    }
    if (sub === 'predict') return predictStdinLines(await loadEmotionTextModel(values.model ?? defaultEmotionModelDir(), await runtime()));
    process.stderr.write(`usage: ${USAGE}\n`);
    return 2;
  },
};
