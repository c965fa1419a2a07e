/**
 * Knowledge-base articles: what the database holds, and the one validation both the REST API and
 * the YAML import use (zod), so an article that imports is an article the API accepts.
 */
import { z } from 'zod';
import type { KbArticle } from '../../protocol/index.ts';

export type { KbArticle };

export const ARTICLE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const text = (max: number) => z.string().trim().min(1).max(max);
/** Dates as YAML writes them (2026-11-24, parsed or not) or ISO strings. */
const dateish = z.union([z.string(), z.date()]).transform((v, ctx) => {
  const ms = v instanceof Date ? v.getTime() : Date.parse(v);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: 'not a date' });
    return z.NEVER;
  }
  return ms;
});

/** An article as written by an admin (API body or one YAML entry); `id` is optional only where the caller says so. */
export const ArticleFields = z.object({
  title: text(200),
  answer: text(2000),
  body: z.string().max(20_000).default(''),
  intents: z.array(text(64).regex(/^\S+$/, 'intent labels have no spaces')).max(20).default([]),
  keywords: z.array(text(100)).max(50).default([]),
  language: z.string().trim().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, 'a language tag such as en or en-GB').default('en'),
  owner: z.string().trim().max(128).nullable().default(null),
  updatedAt: dateish.optional(),
});

export const ArticleInput = ArticleFields.extend({ id: z.string().regex(ARTICLE_ID, 'ids are 1-128 letters, digits, . _ - (starting with a letter or digit)') });
export type ArticleInput = z.input<typeof ArticleInput>;

/** Validated fields → a stored article (updatedAt defaults to now). */
export function toArticle(id: string, fields: z.output<typeof ArticleFields>, nowMs = Date.now()): KbArticle {
  return {
    id,
    title: fields.title,
    answer: fields.answer,
    body: fields.body,
    intents: [...new Set(fields.intents)],
    keywords: [...new Set(fields.keywords)],
    language: fields.language,
    owner: fields.owner || null,
    updatedAtMs: fields.updatedAt ?? nowMs,
  };
}

/** The API's view of an article (ISO date). */
export function articleJson(a: KbArticle): Omit<KbArticle, 'updatedAtMs'> & { updatedAt: string } {
  const { updatedAtMs, ...rest } = a;
  return { ...rest, updatedAt: new Date(updatedAtMs).toISOString() };
}

/** zod issues as `path: message` lines for a 400 answer. */
export function describeIssues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
}
