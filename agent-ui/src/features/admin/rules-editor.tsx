/**
 * The compliance rules file, edited as YAML text. Saving replaces the rules on the server (live
 * calls use them from their next utterance); a refused file keeps the old rules, and each problem
 * is listed with its path in the file (e.g. `rules[2] (no-returns).severity`).
 */
import { useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import { loadRulesText, saveRulesText } from './admin-api.ts';
import type { FieldIssue } from './admin-api.ts';

export function RulesEditor({ fetchImpl = fetch }: { fetchImpl?: typeof fetch }) {
  const uid = useId();
  const [text, setText] = useState<string | null>(null);
  const [version, setVersion] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [problems, setProblems] = useState<FieldIssue[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    loadRulesText(fetchImpl)
      .then((loaded) => {
        setText(loaded.text);
        setVersion(loaded.version);
      })
      .catch((err: Error) => setLoadError(`Could not load the rules: ${err.message}`));
  }, [fetchImpl]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (text === null) return;
    setSaving(true);
    setNotice(null);
    try {
      const result = await saveRulesText(text, fetchImpl);
      if (result.ok) {
        setProblems([]);
        setFailure(null);
        setVersion(result.value.version);
        setNotice(result.value.changed ? `Saved: rules version ${result.value.version} are active.` : 'No change: the rules are as they were.');
        if (result.value.bumped) {
          const reloaded = await loadRulesText(fetchImpl);
          setText(reloaded.text);
        }
      } else {
        setProblems(result.issues);
        setFailure(result.message);
      }
    } catch {
      setFailure('Could not reach the server; nothing was saved.');
    } finally {
      setSaving(false);
    }
  }

  const invalid = problems.length > 0 || failure !== null;
  return (
    <section className="admin-section" aria-labelledby="rules-heading">
      <h2 id="rules-heading">Compliance rules</h2>
      {loadError && (
        <p className="notice notice-error" role="alert">
          {loadError}
        </p>
      )}
      {text !== null && (
        <form onSubmit={submit} className="admin-form">
          <label htmlFor={`${uid}-yaml`}>
            Rules file (YAML){version && <span className="muted"> · version {version} active</span>}
          </label>
          <textarea
            id={`${uid}-yaml`}
            className="input rules-yaml"
            spellCheck={false}
            rows={24}
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={invalid || undefined}
            aria-describedby={invalid ? `${uid}-problems` : undefined}
          />
          {invalid && (
            <div id={`${uid}-problems`} className="notice notice-error form-errors" role="alert">
              <p>{failure}</p>
              {problems.length > 0 && (
                <ul className="rules-problems">
                  {problems.map((p, i) => (
                    <li key={i}>
                      <code className="problem-path">{p.path}</code>: {p.message}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
          <p role="status" className="small">
            {notice}
          </p>
          <div className="admin-actions">
            <button type="submit" className="button" disabled={saving}>
              {saving ? 'Saving…' : 'Save rules'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
