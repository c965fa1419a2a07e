/** A knowledge base for tests: the small fixture pack imported into an in-memory database. */
import { fileURLToPath } from 'node:url';
import { CallStore } from '../../../store/call-store.ts';
import { KnowledgeStore } from '../../../store/knowledge-store.ts';
import { importKnowledgeDir, type ImportResult } from '../knowledge-import.ts';

export const KB_FIXTURE_DIR = fileURLToPath(new URL('./kb-fixture', import.meta.url));

export async function fixtureKnowledge(): Promise<{ db: CallStore; kb: KnowledgeStore; imported: ImportResult }> {
  const db = new CallStore(':memory:');
  const kb = new KnowledgeStore(db.database);
  return { db, kb, imported: await importKnowledgeDir(kb, KB_FIXTURE_DIR) };
}
