/** Knowledge-base articles: search the list, open one to edit, create, delete (with a confirmation). */
import { useCallback, useEffect, useState } from 'react';
import { deleteArticle, listArticles } from './admin-api.ts';
import type { KbArticle } from './admin-api.ts';
import { ArticleForm } from './article-form.tsx';

type Editing = { mode: 'none' } | { mode: 'new' } | { mode: 'edit'; article: KbArticle };

export function KnowledgeAdmin({ fetchImpl = fetch }: { fetchImpl?: typeof fetch }) {
  const [query, setQuery] = useState('');
  const [articles, setArticles] = useState<KbArticle[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing>({ mode: 'none' });
  const [notice, setNotice] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    const timer = setTimeout(() => {
      listArticles(query, fetchImpl, abort.signal)
        .then((found) => {
          setArticles(found);
          setLoadError(null);
        })
        .catch((err: Error) => {
          if (!abort.signal.aborted) setLoadError(`Could not load articles: ${err.message}`);
        });
    }, 200);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [query, reload, fetchImpl]);

  const saved = useCallback((article: KbArticle) => {
    setEditing({ mode: 'none' });
    setNotice(`Saved “${article.title}”.`);
    setReload((n) => n + 1);
  }, []);

  async function remove(article: KbArticle) {
    if (!window.confirm(`Delete the article “${article.title}”? Agents stop seeing it at once.`)) return;
    const result = await deleteArticle(article.id, fetchImpl);
    setNotice(result.ok ? `Deleted “${article.title}”.` : `Not deleted: ${result.message}`);
    if (editing.mode === 'edit' && editing.article.id === article.id) setEditing({ mode: 'none' });
    setReload((n) => n + 1);
  }

  return (
    <section className="admin-section" aria-labelledby="kb-heading">
      <div className="admin-section-top">
        <h2 id="kb-heading">Knowledge base</h2>
        <button type="button" className="button" onClick={() => setEditing({ mode: 'new' })}>
          New article
        </button>
      </div>
      <p role="status" className="small">
        {notice}
      </p>
      <div className="admin-kb">
        <div className="admin-kb-list">
          <label htmlFor="kb-search">Search articles</label>
          <input id="kb-search" type="search" className="input" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="e.g. card arrival" />
          {loadError && (
            <p className="notice notice-error" role="alert">
              {loadError}
            </p>
          )}
          {articles === null ? (
            <p className="muted">Loading…</p>
          ) : articles.length === 0 ? (
            <p className="muted">No articles{query.trim() ? ' match' : ' yet'}.</p>
          ) : (
            <ul className="kb-list" aria-label="Articles">
              {articles.map((a) => (
                <li key={a.id} className={editing.mode === 'edit' && editing.article.id === a.id ? 'selected' : undefined}>
                  <button type="button" className="link-button" onClick={() => setEditing({ mode: 'edit', article: a })}>
                    {a.title}
                  </button>
                  <span className="small muted"> {a.intents.join(', ')}</span>
                  <button type="button" className="button button-quiet button-small" onClick={() => void remove(a)} aria-label={`Delete ${a.title}`}>
                    Delete
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="admin-kb-editor">
          {editing.mode === 'none' ? (
            <p className="muted">Pick an article to edit, or create a new one.</p>
          ) : (
            <ArticleForm
              key={editing.mode === 'edit' ? editing.article.id : 'new'}
              article={editing.mode === 'edit' ? editing.article : null}
              onSaved={saved}
              onCancel={() => setEditing({ mode: 'none' })}
              fetchImpl={fetchImpl}
            />
          )}
        </div>
      </div>
    </section>
  );
}
