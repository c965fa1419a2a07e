/**
 * Knowledge packs on disk: a folder of YAML files, each `articles: [{id, title, intents, keywords,
 * language, owner, updatedAt, answer, body}]`. Reading validates every entry (article.ts) and
 * reports the bad ones without dropping the good; importing upserts them. A node seeds its empty
 * knowledge base from the default pack at start (a missing or half-written folder is not an error).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { parse as parseYaml } from 'yaml';
import type { KnowledgeStore } from '../../store/knowledge-store.ts';
import { ArticleInput, describeIssues, toArticle, type KbArticle } from './article.ts';

export interface ImportProblem {
  file: string;
  /** Entry index in the file's `articles` list (null: the whole file). */
  index: number | null;
  id: string | null;
  message: string;
}

export interface KnowledgeDirContent {
  files: string[];
  articles: KbArticle[];
  problems: ImportProblem[];
}

export async function readKnowledgeDir(dir: string): Promise<KnowledgeDirContent> {
  const out: KnowledgeDirContent = { files: [], articles: [], problems: [] };
  if (!existsSync(dir)) {
    out.problems.push({ file: dir, index: null, id: null, message: 'folder not found' });
    return out;
  }
  const byId = new Map<string, { article: KbArticle; file: string }>();
  for (const name of (await readdir(dir)).filter((n) => /\.ya?ml$/i.test(n)).sort()) {
    const file = join(dir, name);
    out.files.push(file);
    let doc: unknown;
    try {
      doc = parseYaml(await readFile(file, 'utf8'));
    } catch (err) {
      out.problems.push({ file, index: null, id: null, message: `not valid YAML: ${(err as Error).message.split('\n')[0]}` });
      continue;
    }
    const entries = (doc as { articles?: unknown } | null)?.articles;
    if (!Array.isArray(entries)) {
      out.problems.push({ file, index: null, id: null, message: 'expected a top-level `articles:` list' });
      continue;
    }
    entries.forEach((entry, index) => {
      const parsed = ArticleInput.safeParse(entry);
      const id = typeof (entry as { id?: unknown })?.id === 'string' ? (entry as { id: string }).id : null;
      if (!parsed.success) {
        out.problems.push({ file, index, id, message: describeIssues(parsed.error).map((i) => `${i.path}: ${i.message}`).join('; ') });
        return;
      }
      const earlier = byId.get(parsed.data.id);
      if (earlier) out.problems.push({ file, index, id, message: `id also used in ${earlier.file}: this entry replaces it` });
      byId.set(parsed.data.id, { article: toArticle(parsed.data.id, parsed.data), file });
    });
  }
  out.articles = [...byId.values()].map((v) => v.article);
  return out;
}

export interface ImportResult {
  dir: string;
  files: number;
  created: number;
  updated: number;
  problems: ImportProblem[];
}

/** Upserts every valid article of the folder (one transaction). */
export async function importKnowledgeDir(store: KnowledgeStore, dir: string): Promise<ImportResult> {
  const content = await readKnowledgeDir(dir);
  const { created, updated } = await store.upsertMany(content.articles);
  return { dir, files: content.files.length, created, updated, problems: content.problems };
}

/** At node start: an empty knowledge base gets the default pack's articles. */
export async function seedKnowledgeBase(store: KnowledgeStore, dir: string, log: Logger): Promise<ImportResult | undefined> {
  if ((await store.count()) > 0) return undefined;
  const result = await importKnowledgeDir(store, dir);
  for (const p of result.problems) log.warn({ file: p.file, index: p.index, id: p.id }, `knowledge pack: ${p.message}`);
  if (result.created === 0) log.warn({ dir }, 'the knowledge base is empty and the default pack has no articles: no suggestions until articles are added');
  else log.info({ dir, articles: result.created }, 'knowledge base seeded from the default pack');
  return result;
}
