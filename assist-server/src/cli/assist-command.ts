/**
 * `earpiece assist eval`: top-1 / top-3 article hit rates of the suggestions (intent model + ranker)
 * against a knowledge base imported into a throw-away in-memory database. JSON on stdout.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateAssist, heldOutOf } from '../analyzers/assist/assist-eval.ts';
import { importKnowledgeDir } from '../analyzers/assist/knowledge-import.ts';
import { SuggestionEngine } from '../analyzers/assist/suggestion-engine.ts';
import { defaultIntentModelDir, loadIntentModel } from '../analyzers/intent/intent-model.ts';
import { loadPack } from '../analyzers/intent/intent-pack.ts';
import { loadConfig } from '../config.ts';
import { dataAssetFile } from '../inference/training-data.ts';
import { openDatabase } from '../db/open-database.ts';
import { KnowledgeStore } from '../store/knowledge-store.ts';
import type { CliCommand } from './main.ts';
import { loadCliTf } from './text-model-cli.ts';

const USAGE = `earpiece assist eval (--data FILE.csv|FILE.yaml|pack.json | --held-out-of pack.json) [--model DIR] [--kb-dir DIR] [--database-url postgres://…]
      (--held-out-of: the utterances the intent trainer held out of that pack, never trained on; --database-url: rank on that PostgreSQL database instead of an in-memory SQLite one,
       its knowledge tables filled from --kb-dir: use a scratch database)`;

const say = (line: string) => process.stderr.write(line + '\n');

export const assistCommand: CliCommand = {
  summary: 'score suggested articles (intent model + ranker) on labelled utterances',
  usage: USAGE,
  async run(argv) {
    const [sub, ...rest] = argv;
    const { values } = parseArgs({ args: rest, options: { data: { type: 'string' }, 'held-out-of': { type: 'string' }, model: { type: 'string' }, 'kb-dir': { type: 'string' }, 'database-url': { type: 'string' } } });
    if (sub !== 'eval' || (!values.data === !values['held-out-of'])) {
      process.stderr.write(`usage: ${USAGE}\n`);
      return 2;
    }
    const config = loadConfig();
    const resolveAsset = (id: string) => dataAssetFile(id);
    const data = values.data
      ? await loadPack(values.data, resolveAsset, 'eval').then((p) => (p.eval.length ? p.eval : p.train))
      : heldOutOf(await loadPack(values['held-out-of']!, resolveAsset, 'train'));

    // a throw-away database: in memory, or (--database-url) a PostgreSQL database whose KB tables it fills
    const db = await openDatabase({ databaseUrl: values['database-url'], sqlitePath: ':memory:' });
    try {
      const knowledge = new KnowledgeStore(db);
      const kbDir = resolve(values['kb-dir'] ?? config.assist.kbDir);
      const imported = await importKnowledgeDir(knowledge, kbDir);
      for (const p of imported.problems) say(`${p.file}${p.index === null ? '' : ` #${p.index}`}${p.id ? ` (${p.id})` : ''}: ${p.message}`);
      const model = await loadIntentModel(values.model ?? defaultIntentModelDir(), await loadCliTf());
      say(`ranking ${data.length} utterances with ${model.version} against ${imported.created} articles from ${kbDir}`);
      const report = await evaluateAssist(model, new SuggestionEngine(knowledge, { minConfidence: config.assist.minConfidence }), data);
      model.dispose();
      process.stdout.write(JSON.stringify({ data: values.data ?? `held out of ${values['held-out-of']}`, kbDir, minConfidence: config.assist.minConfidence, ...report }, null, 2) + '\n');
      return 0;
    } finally {
      await db.close();
    }
  },
};
