/**
 * The knowledge base in the node's SQLite database (migration 3): articles with an FTS5 index
 * (porter stemming) that triggers keep in step inside each write's transaction, so an edit is
 * searchable by the very next utterance; the suggestion log of customer finals; agent feedback
 * with running per-article-and-intent totals; the knowledge-gap report built from both.
 */
import type Database from 'better-sqlite3';
import type { KbArticle } from '../analyzers/assist/article.ts';

export type FeedbackAction = 'used' | 'copied' | 'dismissed' | 'not_helpful';
export const POSITIVE_FEEDBACK: FeedbackAction[] = ['used', 'copied'];

export interface FeedbackRecord {
  callId: string;
  agentId: string | null;
  articleId: string;
  utteranceId: string | null;
  /** The intent the suggestion was made for (null: unknown). */
  intent: string | null;
  action: FeedbackAction;
  atMs: number;
}

export interface FeedbackTotals {
  positive: number;
  negative: number;
}

export interface SuggestionLogRecord {
  callId: string;
  utteranceId: string;
  text: string;
  normalized: string;
  intent: string | null;
  intentConfidence: number | null;
  lowConfidence: boolean;
  articleIds: string[];
  atMs: number;
}

export interface KnowledgeGap {
  intent: string | null;
  /** Grouping key: masked, lower case, no punctuation. */
  question: string;
  /** One masked customer wording of it. */
  example: string;
  /** Customer finals in this group that were gaps (low confidence / out of scope, nothing suggested, or nothing used). */
  count: number;
  lowConfidence: number;
  noSuggestion: number;
  notUsed: number;
  avgIntentConfidence: number | null;
  lastAtMs: number;
}

/** bm25 column weights: title, answer, body, keywords. */
const BM25_WEIGHTS = [3, 1, 0.5, 4];

interface ArticleRow {
  seq: number;
  article_id: string;
  title: string;
  answer: string;
  body: string;
  intents_json: string;
  keywords_json: string;
  language: string;
  owner: string | null;
  updated_at_ms: number;
}

const toArticle = (r: ArticleRow): KbArticle => ({
  id: r.article_id,
  title: r.title,
  answer: r.answer,
  body: r.body,
  intents: JSON.parse(r.intents_json),
  keywords: JSON.parse(r.keywords_json),
  language: r.language,
  owner: r.owner,
  updatedAtMs: r.updated_at_ms,
});

/** An FTS5 query matching any of the words (each quoted: no operators from user text). */
export function anyOfQuery(terms: string[]): string {
  return terms.map((t) => `"${t.replace(/"/g, '""')}"`).join(' OR ');
}

export class KnowledgeStore {
  private readonly upsertStmt: Database.Statement;
  private readonly searchStmt: Database.Statement;
  private readonly termStmt: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.upsertStmt = db.prepare(
      `INSERT INTO kb_articles (article_id, title, answer, body, intents_json, keywords_json, language, owner, updated_at_ms)
       VALUES (@id, @title, @answer, @body, @intents, @keywords, @language, @owner, @updatedAtMs)
       ON CONFLICT (article_id) DO UPDATE SET title = excluded.title, answer = excluded.answer, body = excluded.body,
         intents_json = excluded.intents_json, keywords_json = excluded.keywords_json, language = excluded.language,
         owner = excluded.owner, updated_at_ms = excluded.updated_at_ms`,
    );
    this.searchStmt = db.prepare(
      `SELECT a.article_id AS id, -bm25(kb_articles_fts, ${BM25_WEIGHTS.join(', ')}) AS score
       FROM kb_articles_fts JOIN kb_articles a ON a.seq = kb_articles_fts.rowid
       WHERE kb_articles_fts MATCH ? ORDER BY score DESC LIMIT ?`,
    );
    this.termStmt = db.prepare(`SELECT a.article_id FROM kb_articles_fts JOIN kb_articles a ON a.seq = kb_articles_fts.rowid WHERE kb_articles_fts MATCH ?`).pluck();
  }

  count(): number {
    return this.db.prepare('SELECT COUNT(*) FROM kb_articles').pluck().get() as number;
  }

  /** Inserts or replaces an article (the FTS index follows in the same transaction). */
  upsert(article: KbArticle): { created: boolean } {
    return this.db.transaction(() => {
      const existed = this.db.prepare('SELECT 1 FROM kb_articles WHERE article_id = ?').get(article.id) !== undefined;
      this.upsertStmt.run({ ...article, intents: JSON.stringify(article.intents), keywords: JSON.stringify(article.keywords) });
      return { created: !existed };
    })();
  }

  upsertMany(articles: KbArticle[]): { created: number; updated: number } {
    return this.db.transaction(() => {
      let created = 0;
      for (const a of articles) if (this.upsert(a).created) created++;
      return { created, updated: articles.length - created };
    })();
  }

  get(id: string): KbArticle | undefined {
    const row = this.db.prepare('SELECT * FROM kb_articles WHERE article_id = ?').get(id) as ArticleRow | undefined;
    return row && toArticle(row);
  }

  getMany(ids: string[]): Map<string, KbArticle> {
    if (ids.length === 0) return new Map();
    const rows = this.db.prepare(`SELECT * FROM kb_articles WHERE article_id IN (${ids.map(() => '?').join(',')})`).all(...ids) as ArticleRow[];
    return new Map(rows.map((r) => [r.article_id, toArticle(r)]));
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM kb_articles WHERE article_id = ?').run(id).changes > 0;
  }

  /** Articles, by id; `q`: full-text (any word, best first), `intent`: tagged with that intent. */
  list(options: { q?: string[]; intent?: string; limit?: number; offset?: number } = {}): KbArticle[] {
    const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
    const offset = Math.max(options.offset ?? 0, 0);
    const where: string[] = [];
    const params: unknown[] = [];
    let from = 'kb_articles a';
    let order = 'a.article_id';
    if (options.q?.length) {
      from = 'kb_articles_fts JOIN kb_articles a ON a.seq = kb_articles_fts.rowid';
      where.push('kb_articles_fts MATCH ?');
      params.push(anyOfQuery(options.q));
      order = `bm25(kb_articles_fts, ${BM25_WEIGHTS.join(', ')}), a.article_id`;
    }
    if (options.intent) {
      where.push('EXISTS (SELECT 1 FROM json_each(a.intents_json) j WHERE j.value = ?)');
      params.push(options.intent);
    }
    const sql = `SELECT a.* FROM ${from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ? OFFSET ?`;
    return (this.db.prepare(sql).all(...params, limit, offset) as ArticleRow[]).map(toArticle);
  }

  /** Articles tagged with any of these intents, with the intent that matched. */
  forIntents(intents: string[]): Array<{ article: KbArticle; intent: string }> {
    if (intents.length === 0) return [];
    const rows = this.db
      .prepare(`SELECT a.*, j.value AS matched FROM kb_articles a, json_each(a.intents_json) j WHERE j.value IN (${intents.map(() => '?').join(',')})`)
      .all(...intents) as Array<ArticleRow & { matched: string }>;
    return rows.map((r) => ({ article: toArticle(r), intent: r.matched }));
  }

  /** Full-text relevance (bm25, higher is better) of articles matching any of the words. */
  search(terms: string[], limit = 20): Array<{ id: string; score: number }> {
    if (terms.length === 0) return [];
    return this.searchStmt.all(anyOfQuery(terms), limit) as Array<{ id: string; score: number }>;
  }

  /** For each word, the ids of articles it matches (stemmed, as the index sees it). */
  termMatches(terms: string[]): Map<string, Set<string>> {
    return new Map(terms.map((t) => [t, new Set(this.termStmt.all(anyOfQuery([t])) as string[])]));
  }

  recordFeedback(f: FeedbackRecord): void {
    const positive = POSITIVE_FEEDBACK.includes(f.action) ? 1 : 0;
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO kb_feedback (call_id, agent_id, article_id, utterance_id, intent, action, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(f.callId, f.agentId, f.articleId, f.utteranceId, f.intent, f.action, f.atMs);
      const bump = this.db.prepare(
        `INSERT INTO kb_feedback_stats (article_id, intent, positive, negative) VALUES (?, ?, ?, ?)
         ON CONFLICT (article_id, intent) DO UPDATE SET positive = positive + excluded.positive, negative = negative + excluded.negative`,
      );
      bump.run(f.articleId, '', positive, 1 - positive);
      if (f.intent) bump.run(f.articleId, f.intent, positive, 1 - positive);
    })();
  }

  /** Feedback totals of these articles, per intent ('' = over all intents). */
  feedbackTotals(articleIds: string[]): Map<string, Map<string, FeedbackTotals>> {
    const out = new Map<string, Map<string, FeedbackTotals>>();
    if (articleIds.length === 0) return out;
    const rows = this.db
      .prepare(`SELECT article_id, intent, positive, negative FROM kb_feedback_stats WHERE article_id IN (${articleIds.map(() => '?').join(',')})`)
      .all(...articleIds) as Array<{ article_id: string; intent: string; positive: number; negative: number }>;
    for (const r of rows) {
      let m = out.get(r.article_id);
      if (!m) out.set(r.article_id, (m = new Map()));
      m.set(r.intent, { positive: r.positive, negative: r.negative });
    }
    return out;
  }

  logSuggestions(r: SuggestionLogRecord): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO kb_suggestion_log (call_id, utterance_id, text, normalized, intent, intent_confidence, low_confidence, article_ids_json, at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(r.callId, r.utteranceId, r.text, r.normalized, r.intent, r.intentConfidence, r.lowConfidence ? 1 : 0, JSON.stringify(r.articleIds), r.atMs);
  }

  /** The logged final suggestion an agent's feedback refers to: by utterance, else the call's latest one that listed the article. */
  loggedSuggestion(callId: string, utteranceId: string | null, articleId: string): { utteranceId: string; intent: string | null } | undefined {
    const row = (
      utteranceId
        ? this.db.prepare('SELECT utterance_id, intent FROM kb_suggestion_log WHERE call_id = ? AND utterance_id = ?').get(callId, utteranceId)
        : this.db
            .prepare(
              `SELECT utterance_id, intent FROM kb_suggestion_log WHERE call_id = ? AND EXISTS (SELECT 1 FROM json_each(article_ids_json) j WHERE j.value = ?)
               ORDER BY at_ms DESC LIMIT 1`,
            )
            .get(callId, articleId)
    ) as { utterance_id: string; intent: string | null } | undefined;
    return row && { utteranceId: row.utterance_id, intent: row.intent };
  }

  /**
   * Frequent customer questions the knowledge base did not serve: finals with a low-confidence or
   * out-of-scope intent (or none), nothing suggested, or no suggested article used or copied.
   */
  knowledgeGaps(options: { sinceMs?: number; minCount?: number; limit?: number } = {}): KnowledgeGap[] {
    const rows = this.db
      .prepare(
        `WITH flagged AS (
           SELECT l.intent, l.normalized, l.text, l.intent_confidence, l.at_ms, l.low_confidence AS low,
                  (l.article_ids_json = '[]') AS none,
                  NOT EXISTS (
                    SELECT 1 FROM kb_feedback f WHERE f.call_id = l.call_id AND f.action IN ('used', 'copied')
                      AND (f.utterance_id = l.utterance_id
                           OR (f.utterance_id IS NULL AND EXISTS (SELECT 1 FROM json_each(l.article_ids_json) j WHERE j.value = f.article_id)))
                  ) AS unused
           FROM kb_suggestion_log l WHERE l.at_ms >= ? AND l.normalized != ''
         )
         SELECT intent, normalized AS question, MIN(text) AS example, COUNT(*) AS count, SUM(low) AS lowConfidence, SUM(none) AS noSuggestion,
                SUM(unused AND NOT none) AS notUsed, AVG(intent_confidence) AS avgIntentConfidence, MAX(at_ms) AS lastAtMs
         FROM flagged WHERE low OR none OR unused
         GROUP BY intent, normalized HAVING COUNT(*) >= ?
         ORDER BY count DESC, lastAtMs DESC LIMIT ?`,
      )
      .all(options.sinceMs ?? 0, options.minCount ?? 1, Math.min(options.limit ?? 50, 500)) as KnowledgeGap[];
    return rows.map((r) => ({ ...r, avgIntentConfidence: r.avgIntentConfidence === null ? null : Math.round(r.avgIntentConfidence * 1000) / 1000 }));
  }
}
