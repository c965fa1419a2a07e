/**
 * REST for the knowledge base and agent feedback:
 *   GET    /api/kb/articles[?q=words&intent=label&limit=&offset=]   list or full-text search
 *   POST   /api/kb/articles                                         create (id optional: from the title)
 *   GET    /api/kb/articles/:id, PUT (create or replace), DELETE
 *   GET    /api/kb/gaps[?sinceMs=&minCount=&limit=]                  knowledge-gap report
 *   POST   /api/calls/:callId/feedback                              {articleId, action, utteranceId?, agentId?}
 * Bodies and queries are validated (zod); a bad one gets 400 with every problem listed. Writes take
 * effect at once: the next utterance is ranked against them.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { ARTICLE_ID, ArticleFields, ArticleInput, articleJson, describeIssues, toArticle } from '../analyzers/assist/article.ts';
import { FeedbackError, type AssistService } from '../analyzers/assist/assist-service.ts';
import { contentTerms } from '../analyzers/assist/query-terms.ts';
import type { KnowledgeStore } from '../store/knowledge-store.ts';

export interface KnowledgeRoutesOptions {
  knowledge: KnowledgeStore;
  assist: AssistService;
}

const ListQuery = z.object({
  q: z.string().max(500).optional(),
  intent: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
const GapsQuery = z.object({
  sinceMs: z.coerce.number().int().min(0).default(0),
  minCount: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
const CreateBody = ArticleFields.extend({ id: z.string().regex(ARTICLE_ID).optional() });
const PutBody = ArticleFields.extend({ id: z.string().optional() });
const FeedbackBody = z.object({
  articleId: z.string().min(1).max(128),
  utteranceId: z.string().min(1).max(128).optional(),
  action: z.enum(['used', 'copied', 'dismissed', 'not_helpful']),
  agentId: z.string().min(1).max(128).optional(),
});

function invalid(reply: FastifyReply, error: z.ZodError, what: string) {
  const issues = describeIssues(error);
  return reply.code(400).send({ code: 'EARPIECE_KB_INVALID', message: `invalid ${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues });
}

const notFound = (reply: FastifyReply, id: string) => reply.code(404).send({ code: 'EARPIECE_KB_ARTICLE_NOT_FOUND', message: `no article ${id}` });

/** Search words: content words, or every word when the query is all function words. */
function searchTerms(q: string): string[] {
  const terms = contentTerms(q);
  return terms.length ? terms : q.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}

function slug(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 100) || 'article'
  );
}

export async function knowledgeRoutes(app: FastifyInstance, options: KnowledgeRoutesOptions): Promise<void> {
  const kb = options.knowledge;

  app.get('/api/kb/articles', { config: { access: 'signed-in' } }, async (req, reply) => {
    const q = ListQuery.safeParse(req.query);
    if (!q.success) return invalid(reply, q.error, 'query');
    const terms = q.data.q?.trim() ? searchTerms(q.data.q) : undefined;
    if (terms?.length === 0) return { articles: [] };
    return { articles: (await kb.list({ q: terms, intent: q.data.intent, limit: q.data.limit, offset: q.data.offset })).map(articleJson) };
  });

  app.get('/api/kb/articles/:id', { config: { access: 'signed-in' } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const article = await kb.get(id);
    return article ? { article: articleJson(article) } : notFound(reply, id);
  });

  app.post('/api/kb/articles', { config: { access: 'admin' } }, async (req, reply) => {
    const body = CreateBody.safeParse(req.body ?? {});
    if (!body.success) return invalid(reply, body.error, 'article');
    let id = body.data.id ?? slug(body.data.title);
    if (!body.data.id) for (let n = 2; await kb.get(id); n++) id = `${slug(body.data.title)}-${n}`;
    else if (await kb.get(id)) return reply.code(409).send({ code: 'EARPIECE_KB_ARTICLE_EXISTS', message: `article ${id} exists: PUT /api/kb/articles/${id} replaces it` });
    const article = toArticle(id, body.data);
    await kb.upsert(article);
    return reply.code(201).send({ article: articleJson(article) });
  });

  app.put('/api/kb/articles/:id', { config: { access: 'admin' } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const idCheck = ArticleInput.shape.id.safeParse(id);
    if (!idCheck.success) return invalid(reply, idCheck.error, 'article id');
    const body = PutBody.safeParse(req.body ?? {});
    if (!body.success) return invalid(reply, body.error, 'article');
    if (body.data.id !== undefined && body.data.id !== id) {
      return reply.code(400).send({ code: 'EARPIECE_KB_INVALID', message: `body id ${body.data.id} differs from the URL's ${id}`, issues: [{ path: 'id', message: 'differs from the URL' }] });
    }
    const article = toArticle(id, body.data);
    const { created } = await kb.upsert(article);
    return reply.code(created ? 201 : 200).send({ article: articleJson(article), created });
  });

  app.delete('/api/kb/articles/:id', { config: { access: 'admin' } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    return (await kb.delete(id)) ? reply.code(204).send() : notFound(reply, id);
  });

  app.get('/api/kb/gaps', { config: { access: 'supervisor' } }, async (req, reply) => {
    const q = GapsQuery.safeParse(req.query);
    if (!q.success) return invalid(reply, q.error, 'query');
    return { gaps: await kb.knowledgeGaps(q.data) };
  });

  app.post('/api/calls/:callId/feedback', { config: { access: 'agent', audit: 'off' } }, async (req, reply) => {
    const { callId } = req.params as { callId: string };
    const body = FeedbackBody.safeParse(req.body ?? {});
    if (!body.success) return invalid(reply, body.error, 'feedback');
    try {
      const { intent, utteranceId } = await options.assist.recordFeedback({
        callId,
        agentId: body.data.agentId ?? null,
        articleId: body.data.articleId,
        utteranceId: body.data.utteranceId ?? null,
        action: body.data.action,
      });
      return reply.code(201).send({ recorded: true, intent, utteranceId });
    } catch (err) {
      if (!(err instanceof FeedbackError)) throw err;
      return reply.code(err.code === 'EARPIECE_AGENT_NOT_ON_CALL' ? 403 : 404).send({ code: err.code, message: err.message });
    }
  });
}
