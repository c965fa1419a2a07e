/** A knowledge base for tests: the small fixture pack imported into a database (in-memory SQLite unless given one). */
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../../db/open-database.ts';
import type { SqlDatabase } from '../../../db/sql-database.ts';
import { KnowledgeStore } from '../../../store/knowledge-store.ts';
import { importKnowledgeDir, type ImportResult } from '../knowledge-import.ts';

export const KB_FIXTURE_DIR = fileURLToPath(new URL('./kb-fixture', import.meta.url));

export async function fixtureKnowledge(database?: SqlDatabase): Promise<{ db: SqlDatabase; kb: KnowledgeStore; imported: ImportResult }> {
  const db = database ?? (await openDatabase({ sqlitePath: ':memory:' }));
  const kb = new KnowledgeStore(db);
  return { db, kb, imported: await importKnowledgeDir(kb, KB_FIXTURE_DIR) };
}
