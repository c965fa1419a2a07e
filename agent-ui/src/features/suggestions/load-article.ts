/** The full knowledge-base article behind a suggestion: GET /api/kb/articles/:id. */
import type { KbArticle } from '@earpiece/assist-server/protocol';

export type ArticleDetail = Pick<KbArticle, 'id' | 'title' | 'answer' | 'body'>;

export type LoadArticle = (articleId: string) => Promise<ArticleDetail>;

export const loadArticle: LoadArticle = async (articleId) => {
  const res = await fetch(`/api/kb/articles/${encodeURIComponent(articleId)}`);
  if (!res.ok) throw new Error(res.status === 404 ? 'This article was removed from the knowledge base.' : `The server answered ${res.status}.`);
  const { article } = (await res.json()) as { article: ArticleDetail };
  return article;
};
