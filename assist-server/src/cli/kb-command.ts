/**
 * `earpiece kb import --dir DIR`: adds or updates the articles of a folder of knowledge YAML files
 * in the node's database (DATABASE_URL, else EARPIECE_DATA_DIR's SQLite file; a running node sees
 * them from its next utterance).
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { importKnowledgeDir } from '../analyzers/assist/knowledge-import.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/open-database.ts';
import { KnowledgeStore } from '../store/knowledge-store.ts';
import type { CliCommand } from './main.ts';

const USAGE = 'earpiece kb import [--dir DIR]   (default EARPIECE_KB_DIR; upserts by article id)';

export const kbCommand: CliCommand = {
  summary: 'import knowledge-base articles from YAML files',
  usage: USAGE,
  async run(argv) {
    const [sub, ...rest] = argv;
    const { values } = parseArgs({ args: rest, options: { dir: { type: 'string' } } });
    if (sub !== 'import') {
      process.stderr.write(`usage: ${USAGE}\n`);
      return 2;
    }
    const config = loadConfig();
    const db = await openDatabase({ databaseUrl: config.databaseUrl, sqlitePath: join(config.dataDir, 'earpiece.db') });
    try {
      const result = await importKnowledgeDir(new KnowledgeStore(db), resolve(values.dir ?? config.assist.kbDir));
      for (const p of result.problems) process.stderr.write(`${p.file}${p.index === null ? '' : ` #${p.index}`}${p.id ? ` (${p.id})` : ''}: ${p.message}\n`);
      process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      return result.files === 0 || (result.created + result.updated === 0 && result.problems.length > 0) ? 1 : 0;
    } finally {
      await db.close();
    }
  },
};
