/**
 * Create or edit one knowledge-base article. The server validates; each problem it reports is shown
 * under its field (and the field marked invalid); problems that belong to no field go on top.
 */
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { saveArticle } from './admin-api.ts';
import type { ArticleDraft, FieldIssue, KbArticle } from './admin-api.ts';

const FIELDS = ['id', 'title', 'answer', 'body', 'intents', 'keywords', 'language', 'owner'] as const;
type Field = (typeof FIELDS)[number];

/** The form field a server issue belongs to (`intents.2` → intents), or null for the whole form. */
export function issueField(issue: FieldIssue): Field | null {
  const head = issue.path.split('.')[0] ?? '';
  return (FIELDS as readonly string[]).includes(head) ? (head as Field) : null;
}

const list = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);

export interface ArticleFormProps {
  /** The article being edited, or null to create one. */
  article: KbArticle | null;
  onSaved: (article: KbArticle) => void;
  onCancel: () => void;
  fetchImpl?: typeof fetch;
}

export function ArticleForm({ article, onSaved, onCancel, fetchImpl = fetch }: ArticleFormProps) {
  const uid = useId();
  const [values, setValues] = useState<Record<Field, string>>(() => ({
    id: article?.id ?? '',
    title: article?.title ?? '',
    answer: article?.answer ?? '',
    body: article?.body ?? '',
    intents: article?.intents.join(', ') ?? '',
    keywords: article?.keywords.join(', ') ?? '',
    language: article?.language ?? 'en',
    owner: article?.owner ?? '',
  }));
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const set = (field: Field) => (event: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: event.target.value }));
  const errorsFor = (field: Field) => issues.filter((i) => issueField(i) === field);
  const general = issues.filter((i) => issueField(i) === null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    const draft: ArticleDraft = {
      title: values.title,
      answer: values.answer,
      body: values.body,
      intents: list(values.intents),
      keywords: list(values.keywords),
      language: values.language,
      owner: values.owner.trim() ? values.owner : null,
      ...(article === null && values.id.trim() ? { id: values.id.trim() } : {}),
    };
    try {
      const result = await saveArticle(draft, article?.id ?? null, fetchImpl);
      if (result.ok) {
        setIssues([]);
        setFormError(null);
        onSaved(result.value);
      } else {
        setIssues(result.issues);
        setFormError(result.issues.length ? null : result.message);
      }
    } catch {
      setFormError('Could not reach the server; nothing was saved.');
    } finally {
      setSaving(false);
    }
  }

  const field = (name: Field, label: string, options: { multiline?: boolean; hint?: string; readOnly?: boolean } = {}) => {
    const id = `${uid}-${name}`;
    const errors = errorsFor(name);
    const describedBy = [options.hint ? `${id}-hint` : null, errors.length ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
    const common = {
      id,
      name,
      value: values[name],
      onChange: set(name),
      readOnly: options.readOnly,
      'aria-invalid': errors.length > 0 || undefined,
      'aria-describedby': describedBy,
      className: 'input admin-input',
    };
    return (
      <div className={`admin-field${errors.length ? ' has-error' : ''}`}>
        <label htmlFor={id}>{label}</label>
        {options.multiline ? <textarea rows={name === 'body' ? 6 : 3} {...common} /> : <input type="text" {...common} />}
        {options.hint && (
          <p id={`${id}-hint`} className="small muted field-hint">
            {options.hint}
          </p>
        )}
        {errors.length > 0 && (
          <p id={`${id}-error`} className="field-error" data-field={name}>
            {errors.map((e) => e.message).join('; ')}
          </p>
        )}
      </div>
    );
  };

  return (
    <form className="admin-form" onSubmit={submit} noValidate aria-labelledby={`${uid}-heading`}>
      <h3 id={`${uid}-heading`}>{article ? `Edit “${article.title}”` : 'New article'}</h3>
      {(formError || general.length > 0) && (
        <div className="notice notice-error form-errors" role="alert">
          {formError && <p>{formError}</p>}
          {general.map((g, i) => (
            <p key={i}>
              {g.path}: {g.message}
            </p>
          ))}
        </div>
      )}
      {article === null
        ? field('id', 'Id (optional)', { hint: 'Letters, digits, . _ -; made from the title when left empty.' })
        : field('id', 'Id', { readOnly: true })}
      {field('title', 'Title')}
      {field('answer', 'Answer the agent reads out', { multiline: true })}
      {field('body', 'Guidance for the agent', { multiline: true })}
      {field('intents', 'Intents', { hint: 'Intent labels, comma separated (e.g. lost_or_stolen_card).' })}
      {field('keywords', 'Keywords', { hint: 'Comma separated.' })}
      {field('language', 'Language', { hint: 'A language tag such as en or en-GB.' })}
      {field('owner', 'Owner')}
      {issues.length > 0 && (
        <p className="visually-hidden" role="status">
          {issues.length} {issues.length === 1 ? 'problem' : 'problems'}: the article was not saved.
        </p>
      )}
      <div className="admin-actions">
        <button type="submit" className="button" disabled={saving}>
          {saving ? 'Saving…' : article ? 'Save changes' : 'Create article'}
        </button>
        <button type="button" className="button button-quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
