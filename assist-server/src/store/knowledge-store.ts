/**
 * The knowledge base (migration 3): articles with a full-text index kept in step inside each write's
 * transaction, so an edit is searchable by the very next utterance; the suggestion log of customer
 * finals; agent feedback with running per-article-and-intent totals; the knowledge-gap report built
 * from both. Async on either dialect (db/sql-database.ts).
 *
 * Full-text relevance is FTS5's bm25 on both dialects (the ranker squashes it, suggestion-ranker.ts):
 * - SQLite: FTS5 (porter stemming) `bm25()` with column weights title 3, answer 1, body 0.5, keywords 4;
 * - PostgreSQL: the same formula computed in SQL over the rows the GIN-indexed `search_tsv` matches
 *   (english snowball stemming): for each query word (lexeme), idf = ln((N − n + 0.5) / (n + 0.5))
 *   (at least 1e-6; n: articles containing it), f = Σ column weight × occurrences (from a tsvector
 *   weighted per column), and score += idf · f · (k1 + 1) / (f + k1 · (1 − b + b · |D| / avg|D|)) with
 *   k1 = 1.2, b = 0.75, |D| the article's word count over the four columns. Only the stemmer and
 *   PostgreSQL's English stop words differ, so the ranker's half points fit both.
 */
import type { SqlDatabase, SqlExecutor } from '../db/sql-database.ts';
import type { KbArticle } from '../analyzers/assist/article.ts';
import { asInt, jsonArrayRows } from './sql-fragments.ts';

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
/** FTS5's bm25 constants. */
const BM25_K1 = 1.2;
const BM25_B = 0.75;
/** PostgreSQL: the four columns as one tsvector, weight classes A..D = keywords, title, answer, body. */
const PG_WEIGHTED_VECTOR = `(setweight(to_tsvector('english', a.keywords_json), 'A') || setweight(to_tsvector('english', a.title), 'B')
  || setweight(to_tsvector('english', a.answer), 'C') || setweight(to_tsvector('english', a.body), 'D'))`;
const PG_CLASS_WEIGHT = `(CASE wt WHEN 'A' THEN ${BM25_WEIGHTS[3]} WHEN 'B' THEN ${BM25_WEIGHTS[0]} WHEN 'C' THEN ${BM25_WEIGHTS[1]} ELSE ${BM25_WEIGHTS[2]} END)`;
/** An article's length in words over the four columns (as FTS5's unicode61 tokenizer counts them; regexp_count: PostgreSQL 15). */
const PG_DOC_LENGTH = `regexp_count(a.title || ' ' || a.answer || ' ' || a.body || ' ' || a.keywords_json, '[[:alnum:]]+')`;
/**
 * PostgreSQL: `WITH …, bm25_scores (article_id, score)` for the words of one parameter (a JSON array
 * of strings): FTS5's bm25 (see the top of this file). The average length is taken over every
 * article on each query (fine for knowledge bases of a few thousand articles; beyond that keep it
 * in a statistics row).
 */
const PG_BM25_CTE = `WITH terms AS (
    SELECT DISTINCT lx FROM json_array_elements_text(?::json) AS w, unnest(tsvector_to_array(to_tsvector('english', w))) AS lx
  ), query AS (
    SELECT string_agg(quote_literal(lx), ' | ')::tsquery AS q FROM terms
  ), lens AS MATERIALIZED (
    SELECT a.article_id, ${PG_DOC_LENGTH} AS len FROM kb_articles a
  ), total AS (
    SELECT COUNT(*) AS n, AVG(len) AS avgdl FROM lens
  ), docs AS MATERIALIZED (
    SELECT a.article_id, ${PG_WEIGHTED_VECTOR} AS v FROM kb_articles a CROSS JOIN query WHERE a.search_tsv @@ query.q
  ), tf AS MATERIALIZED (
    SELECT d.article_id, t.lx, SUM(${PG_CLASS_WEIGHT}) AS f
    FROM docs d, unnest(d.v) AS u(lexeme, positions, weights), unnest(u.weights) AS wt, terms t
    WHERE u.lexeme = t.lx
    GROUP BY d.article_id, t.lx
  ), df AS (
    SELECT lx, COUNT(*) AS n FROM tf GROUP BY lx
  ), bm25_scores AS (
    SELECT tf.article_id, SUM(GREATEST(ln((total.n - df.n + 0.5) / (df.n + 0.5)), 1e-6)
             * (tf.f * ${BM25_K1 + 1}) / (tf.f + ${BM25_K1} * (${1 - BM25_B} + ${BM25_B} * lens.len / total.avgdl)))::float8 AS score
    FROM tf JOIN df ON df.lx = tf.lx JOIN lens ON lens.article_id = tf.article_id CROSS JOIN total GROUP BY tf.article_id
  )`;

const ARTICLE_COLUMNS = 'a.seq, a.article_id, a.title, a.answer, a.body, a.intents_json, a.keywords_json, a.language, a.owner, a.updated_at_ms';

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

const UPSERT_SQL = `INSERT INTO kb_articles (article_id, title, answer, body, intents_json, keywords_json, language, owner, updated_at_ms)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (article_id) DO UPDATE SET title = excluded.title, answer = excluded.answer, body = excluded.body,
    intents_json = excluded.intents_json, keywords_json = excluded.keywords_json, language = excluded.language,
    owner = excluded.owner, updated_at_ms = excluded.updated_at_ms`;

async function upsertIn(tx: SqlExecutor, a: KbArticle): Promise<boolean> {
  const existed = (await tx.get('SELECT 1 AS one FROM kb_articles WHERE article_id = ?', [a.id])) !== undefined;
  await tx.run(UPSERT_SQL, [a.id, a.title, a.answer, a.body, JSON.stringify(a.intents), JSON.stringify(a.keywords), a.language, a.owner, Math.round(a.updatedAtMs)]);
  return !existed;
}

export class KnowledgeStore {
  constructor(private readonly db: SqlDatabase) {}

  async count(): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM kb_articles'))!.n;
  }

  /** Inserts or replaces an article (the full-text index follows in the same transaction). */
  async upsert(article: KbArticle): Promise<{ created: boolean }> {
    return { created: await this.db.transaction((tx) => upsertIn(tx, article)) };
  }

  async upsertMany(articles: KbArticle[]): Promise<{ created: number; updated: number }> {
    return this.db.transaction(async (tx) => {
      let created = 0;
      for (const a of articles) if (await upsertIn(tx, a)) created++;
      return { created, updated: articles.length - created };
    });
  }

  async get(id: string): Promise<KbArticle | undefined> {
    const row = await this.db.get<ArticleRow>(`SELECT ${ARTICLE_COLUMNS} FROM kb_articles a WHERE a.article_id = ?`, [id]);
    return row && toArticle(row);
  }

  async getMany(ids: string[]): Promise<Map<string, KbArticle>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.all<ArticleRow>(`SELECT ${ARTICLE_COLUMNS} FROM kb_articles a WHERE a.article_id IN (${ids.map(() => '?').join(',')})`, ids);
    return new Map(rows.map((r) => [r.article_id, toArticle(r)]));
  }

  async delete(id: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM kb_articles WHERE article_id = ?', [id])).changes > 0;
  }

  /** Articles, by id; `q`: full-text (any word, best first), `intent`: tagged with that intent. */
  async list(options: { q?: string[] | undefined; intent?: string | undefined; limit?: number | undefined; offset?: number | undefined } = {}): Promise<KbArticle[]> {
    const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
    const offset = Math.max(options.offset ?? 0, 0);
    const pg = this.db.dialect === 'postgres';
    const where: string[] = [];
    const params: string[] = [];
    let from = 'kb_articles a';
    let order = 'a.article_id';
    if (options.q?.length) {
      if (pg) {
        from = 'kb_articles a JOIN bm25_scores s ON s.article_id = a.article_id';
        order = 's.score DESC, a.article_id';
        params.push(JSON.stringify(options.q));
      } else {
        from = 'kb_articles_fts JOIN kb_articles a ON a.seq = kb_articles_fts.rowid';
        where.push('kb_articles_fts MATCH ?');
        params.push(anyOfQuery(options.q));
        order = `bm25(kb_articles_fts, ${BM25_WEIGHTS.join(', ')}), a.article_id`;
      }
    }
    if (options.intent) {
      where.push(`EXISTS (SELECT 1 FROM ${jsonArrayRows(this.db.dialect, 'a.intents_json', 'j')} WHERE j.value = ?)`);
      params.push(options.intent);
    }
    const cte = pg && options.q?.length ? PG_BM25_CTE : '';
    const sql = `${cte} SELECT ${ARTICLE_COLUMNS} FROM ${from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ? OFFSET ?`;
    return (await this.db.all<ArticleRow>(sql, [...params, limit, offset])).map(toArticle);
  }

  /** Articles tagged with any of these intents, with the intent that matched. */
  async forIntents(intents: string[]): Promise<Array<{ article: KbArticle; intent: string }>> {
    if (intents.length === 0) return [];
    const rows = await this.db.all<ArticleRow & { matched: string }>(
      `SELECT ${ARTICLE_COLUMNS}, j.value AS matched FROM kb_articles a, ${jsonArrayRows(this.db.dialect, 'a.intents_json', 'j')}
       WHERE j.value IN (${intents.map(() => '?').join(',')}) ORDER BY a.seq, j.value`,
      intents,
    );
    return rows.map((r) => ({ article: toArticle(r), intent: r.matched }));
  }

  /** Full-text relevance (bm25, higher is better: see the top of this file) of articles matching any of the words. */
  async search(terms: string[], limit = 20): Promise<Array<{ id: string; score: number }>> {
    if (terms.length === 0) return [];
    if (this.db.dialect === 'sqlite') {
      return this.db.all<{ id: string; score: number }>(
        `SELECT a.article_id AS id, -bm25(kb_articles_fts, ${BM25_WEIGHTS.join(', ')}) AS score
         FROM kb_articles_fts JOIN kb_articles a ON a.seq = kb_articles_fts.rowid
         WHERE kb_articles_fts MATCH ? ORDER BY score DESC LIMIT ?`,
        [anyOfQuery(terms), limit],
      );
    }
    return this.db.all<{ id: string; score: number }>(`${PG_BM25_CTE} SELECT article_id AS id, score FROM bm25_scores ORDER BY score DESC, article_id LIMIT ?`, [
      JSON.stringify(terms),
      limit,
    ]);
  }

  /** For each word, the ids of articles it matches (stemmed, as the index sees it). */
  async termMatches(terms: string[]): Promise<Map<string, Set<string>>> {
    const out = new Map(terms.map((t) => [t, new Set<string>()]));
    if (terms.length === 0) return out;
    if (this.db.dialect === 'postgres') {
      const rows = await this.db.all<{ word: string; article_id: string }>(
        `SELECT w AS word, a.article_id FROM json_array_elements_text(?::json) AS w JOIN kb_articles a ON a.search_tsv @@ plainto_tsquery('english', w)`,
        [JSON.stringify(terms)],
      );
      for (const r of rows) out.get(r.word)?.add(r.article_id);
      return out;
    }
    for (const t of terms) {
      const rows = await this.db.all<{ article_id: string }>(
        'SELECT a.article_id FROM kb_articles_fts JOIN kb_articles a ON a.seq = kb_articles_fts.rowid WHERE kb_articles_fts MATCH ?',
        [anyOfQuery([t])],
      );
      for (const r of rows) out.get(t)!.add(r.article_id);
    }
    return out;
  }

  async recordFeedback(f: FeedbackRecord): Promise<void> {
    const positive = POSITIVE_FEEDBACK.includes(f.action) ? 1 : 0;
    await this.db.transaction(async (tx) => {
      await tx.run('INSERT INTO kb_feedback (call_id, agent_id, article_id, utterance_id, intent, action, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        f.callId,
        f.agentId,
        f.articleId,
        f.utteranceId,
        f.intent,
        f.action,
        Math.round(f.atMs),
      ]);
      const bump = `INSERT INTO kb_feedback_stats (article_id, intent, positive, negative) VALUES (?, ?, ?, ?)
        ON CONFLICT (article_id, intent) DO UPDATE SET positive = kb_feedback_stats.positive + excluded.positive, negative = kb_feedback_stats.negative + excluded.negative`;
      await tx.run(bump, [f.articleId, '', positive, 1 - positive]);
      if (f.intent) await tx.run(bump, [f.articleId, f.intent, positive, 1 - positive]);
    });
  }

  /** Feedback totals of these articles, per intent ('' = over all intents). */
  async feedbackTotals(articleIds: string[]): Promise<Map<string, Map<string, FeedbackTotals>>> {
    const out = new Map<string, Map<string, FeedbackTotals>>();
    if (articleIds.length === 0) return out;
    const rows = await this.db.all<{ article_id: string; intent: string; positive: number; negative: number }>(
      `SELECT article_id, intent, positive, negative FROM kb_feedback_stats WHERE article_id IN (${articleIds.map(() => '?').join(',')})`,
      articleIds,
    );
    for (const r of rows) {
      let m = out.get(r.article_id);
      if (!m) out.set(r.article_id, (m = new Map()));
      m.set(r.intent, { positive: r.positive, negative: r.negative });
    }
    return out;
  }

  async logSuggestions(r: SuggestionLogRecord): Promise<void> {
    await this.db.run(
      `INSERT INTO kb_suggestion_log (call_id, utterance_id, text, normalized, intent, intent_confidence, low_confidence, article_ids_json, at_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (call_id, utterance_id) DO UPDATE SET text = excluded.text, normalized = excluded.normalized, intent = excluded.intent,
         intent_confidence = excluded.intent_confidence, low_confidence = excluded.low_confidence, article_ids_json = excluded.article_ids_json, at_ms = excluded.at_ms`,
      [r.callId, r.utteranceId, r.text, r.normalized, r.intent, r.intentConfidence, r.lowConfidence ? 1 : 0, JSON.stringify(r.articleIds), Math.round(r.atMs)],
    );
  }

  /** The logged final suggestion an agent's feedback refers to: by utterance, else the call's latest one that listed the article. */
  async loggedSuggestion(callId: string, utteranceId: string | null, articleId: string): Promise<{ utteranceId: string; intent: string | null } | undefined> {
    const row = utteranceId
      ? await this.db.get<{ utterance_id: string; intent: string | null }>('SELECT utterance_id, intent FROM kb_suggestion_log WHERE call_id = ? AND utterance_id = ?', [callId, utteranceId])
      : await this.db.get<{ utterance_id: string; intent: string | null }>(
          `SELECT utterance_id, intent FROM kb_suggestion_log WHERE call_id = ? AND EXISTS (SELECT 1 FROM ${jsonArrayRows(this.db.dialect, 'article_ids_json', 'j')} WHERE j.value = ?)
           ORDER BY at_ms DESC LIMIT 1`,
          [callId, articleId],
        );
    return row && { utteranceId: row.utterance_id, intent: row.intent };
  }

  /**
   * Frequent customer questions the knowledge base did not serve: finals with a low-confidence or
   * out-of-scope intent (or none), nothing suggested, or no suggested article used or copied.
   */
  async knowledgeGaps(options: { sinceMs?: number | undefined; minCount?: number | undefined; limit?: number | undefined } = {}): Promise<KnowledgeGap[]> {
    const d = this.db.dialect;
    const rows = await this.db.all<{
      intent: string | null;
      question: string;
      example: string;
      n: number;
      low_confidence: number;
      no_suggestion: number;
      not_used: number;
      avg_intent_confidence: number | null;
      last_at_ms: number;
    }>(
      `WITH flagged AS (
         SELECT l.intent, l.normalized, l.text, l.intent_confidence, l.at_ms, l.low_confidence AS low,
                ${asInt(`l.article_ids_json = '[]'`)} AS no_suggestion,
                ${asInt(`NOT EXISTS (
                  SELECT 1 FROM kb_feedback f WHERE f.call_id = l.call_id AND f.action IN ('used', 'copied')
                    AND (f.utterance_id = l.utterance_id
                         OR (f.utterance_id IS NULL AND EXISTS (SELECT 1 FROM ${jsonArrayRows(d, 'l.article_ids_json', 'j')} WHERE j.value = f.article_id)))
                )`)} AS unused
         FROM kb_suggestion_log l WHERE l.at_ms >= ? AND l.normalized != ''
       )
       SELECT intent, normalized AS question, MIN(text) AS example, COUNT(*) AS n, SUM(low) AS low_confidence, SUM(no_suggestion) AS no_suggestion,
              SUM(${asInt('unused = 1 AND no_suggestion = 0')}) AS not_used, AVG(intent_confidence) AS avg_intent_confidence, MAX(at_ms) AS last_at_ms
       FROM flagged WHERE low = 1 OR no_suggestion = 1 OR unused = 1
       GROUP BY intent, normalized HAVING COUNT(*) >= ?
       ORDER BY n DESC, last_at_ms DESC LIMIT ?`,
      [options.sinceMs ?? 0, options.minCount ?? 1, Math.min(options.limit ?? 50, 500)],
    );
    return rows.map((r) => ({
      intent: r.intent,
      question: r.question,
      example: r.example,
      count: Number(r.n),
      lowConfidence: Number(r.low_confidence),
      noSuggestion: Number(r.no_suggestion),
      notUsed: Number(r.not_used),
      avgIntentConfidence: r.avg_intent_confidence === null ? null : Math.round(Number(r.avg_intent_confidence) * 1000) / 1000,
      lastAtMs: Number(r.last_at_ms),
    }));
  }
}
