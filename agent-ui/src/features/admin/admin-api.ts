/**
 * The admin screen's REST calls: knowledge-base articles (`/api/kb/articles`) and the compliance
 * rules file (`/api/compliance/rules`). A refused write comes back as `{ ok: false, issues }`
 * with each problem's path, so the form can show it next to its field.
 */
import type { KbArticle } from '@earpiece/assist-server/protocol';

export type { KbArticle };

export type ArticleDraft = Omit<KbArticle, 'id' | 'updatedAtMs'> & { id?: string };

/** One validation problem: `path` is a field (`title`, `intents.2`), `(body)`, or a rules path (`rules[0] (x).severity`). */
export interface FieldIssue {
  path: string;
  message: string;
}

export type WriteResult<T> = { ok: true; value: T } | { ok: false; message: string; issues: FieldIssue[] };

async function json(response: Response): Promise<Record<string, unknown>> {
  try {
    return (await response.json()) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function failure(status: number, body: Record<string, unknown>): { ok: false; message: string; issues: FieldIssue[] } {
  const issues = Array.isArray(body.issues) ? (body.issues as FieldIssue[]) : [];
  const message = typeof body.message === 'string' ? body.message : `the server answered ${status}`;
  return { ok: false, message, issues };
}

export async function listArticles(q: string, fetchImpl: typeof fetch = fetch, signal?: AbortSignal): Promise<KbArticle[]> {
  const query = new URLSearchParams({ limit: '200' });
  if (q.trim()) query.set('q', q.trim());
  const response = await fetchImpl(`/api/kb/articles?${query}`, { headers: { accept: 'application/json' }, signal: signal ?? null });
  const body = await json(response);
  if (!response.ok) throw new Error(failure(response.status, body).message);
  return (body.articles as KbArticle[] | undefined) ?? [];
}

/** Creates (no `existingId`: POST) or replaces (PUT) an article. */
export async function saveArticle(draft: ArticleDraft, existingId: string | null, fetchImpl: typeof fetch = fetch): Promise<WriteResult<KbArticle>> {
  const { id, ...fields } = draft;
  const payload = existingId ? fields : id ? draft : fields;
  const response = await fetchImpl(existingId ? `/api/kb/articles/${encodeURIComponent(existingId)}` : '/api/kb/articles', {
    method: existingId ? 'PUT' : 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(payload),
  });
  const body = await json(response);
  if (!response.ok) return failure(response.status, body);
  return { ok: true, value: body.article as KbArticle };
}

export async function deleteArticle(id: string, fetchImpl: typeof fetch = fetch): Promise<WriteResult<null>> {
  const response = await fetchImpl(`/api/kb/articles/${encodeURIComponent(id)}`, { method: 'DELETE' });
  if (!response.ok) return failure(response.status, await json(response));
  return { ok: true, value: null };
}

export async function loadRulesText(fetchImpl: typeof fetch = fetch): Promise<{ text: string; version: string | null }> {
  const response = await fetchImpl('/api/compliance/rules.yaml', { headers: { accept: 'application/yaml' } });
  if (!response.ok) throw new Error(failure(response.status, await json(response)).message);
  return { text: await response.text(), version: response.headers.get('x-rules-version') };
}

/** Splits the server's `path: message` problem lines (`rules[2] (no-returns).phrases: …`). */
export function parseProblem(line: string): FieldIssue {
  const at = line.indexOf(': ');
  return at > 0 ? { path: line.slice(0, at), message: line.slice(at + 2) } : { path: '(file)', message: line };
}

export async function saveRulesText(text: string, fetchImpl: typeof fetch = fetch): Promise<WriteResult<{ version: string; bumped: boolean; changed: boolean }>> {
  const response = await fetchImpl('/api/compliance/rules', { method: 'PUT', headers: { 'content-type': 'application/yaml', accept: 'application/json' }, body: text });
  const body = await json(response);
  if (!response.ok) {
    const problems = Array.isArray(body.problems) ? (body.problems as string[]).map(parseProblem) : [];
    return { ok: false, message: typeof body.message === 'string' ? body.message : `the server answered ${response.status}`, issues: problems };
  }
  return { ok: true, value: body as unknown as { version: string; bumped: boolean; changed: boolean } };
}
