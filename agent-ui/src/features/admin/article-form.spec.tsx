import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { ArticleForm } from './article-form.tsx';
import type { KbArticle } from './admin-api.ts';
import { stubFetch } from '../../testing/stub-fetch.ts';

afterEach(cleanup);

const ARTICLE: KbArticle = {
  id: 'card-arrival',
  title: 'Card arrival',
  answer: 'Cards arrive within five working days.',
  body: '',
  intents: ['card_arrival'],
  keywords: ['card', 'post'],
  language: 'en',
  owner: null,
  updatedAtMs: Date.parse('2026-01-01T00:00:00.000Z'),
};

describe('ArticleForm', () => {
  it('shows each validation error next to its field, marks the field invalid, and puts pathless ones on top', async () => {
    const { fetchImpl, requests } = stubFetch(400, {
      code: 'EARPIECE_KB_INVALID',
      message: 'invalid article: title: Too small; intents.1: intent labels have no spaces',
      issues: [
        { path: 'title', message: 'Too small: expected string to have >=1 characters' },
        { path: 'intents.1', message: 'intent labels have no spaces' },
        { path: '(body)', message: 'something about the whole article' },
      ],
    });
    const onSaved = vi.fn();
    render(<ArticleForm article={null} onSaved={onSaved} onCancel={() => undefined} fetchImpl={fetchImpl} />);
    fireEvent.change(screen.getByLabelText('Answer the agent reads out'), { target: { value: 'An answer.' } });
    fireEvent.change(screen.getByLabelText('Intents'), { target: { value: 'card_arrival, lost card' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create article' }));

    const titleError = await screen.findByText('Too small: expected string to have >=1 characters');
    const title = screen.getByLabelText('Title');
    expect(title.getAttribute('aria-invalid')).toBe('true');
    expect(title.getAttribute('aria-describedby')).toContain(titleError.id);
    expect(titleError.closest('.admin-field')).toBe(title.closest('.admin-field'));

    const intents = screen.getByLabelText('Intents');
    const intentsError = screen.getByText('intent labels have no spaces');
    expect(intents.getAttribute('aria-invalid')).toBe('true');
    expect(intentsError.closest('.admin-field')).toBe(intents.closest('.admin-field'));

    expect(screen.getByLabelText('Answer the agent reads out').getAttribute('aria-invalid')).toBeNull();
    expect(screen.getByRole('alert').textContent).toContain('(body): something about the whole article');
    expect(onSaved).not.toHaveBeenCalled();
    expect(requests).toEqual([
      { url: '/api/kb/articles', method: 'POST', body: { title: '', answer: 'An answer.', body: '', intents: ['card_arrival', 'lost card'], keywords: [], language: 'en', owner: null } },
    ]);
  });

  it('replaces an existing article with PUT, clears earlier errors and reports the saved article', async () => {
    let answer: { status: number; body: unknown } = { status: 400, body: { code: 'EARPIECE_KB_INVALID', message: 'x', issues: [{ path: 'language', message: 'a language tag such as en or en-GB' }] } };
    const requests: Array<{ url: string; method: string }> = [];
    const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
      requests.push({ url: String(input), method: init?.method ?? 'GET' });
      return new Response(JSON.stringify(answer.body), { status: answer.status });
    }) as typeof fetch;
    const onSaved = vi.fn();
    render(<ArticleForm article={ARTICLE} onSaved={onSaved} onCancel={() => undefined} fetchImpl={fetchImpl} />);
    fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'english' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await screen.findByText('a language tag such as en or en-GB');
    expect(screen.getByLabelText('Language').getAttribute('aria-invalid')).toBe('true');

    answer = { status: 200, body: { article: { ...ARTICLE, language: 'en-GB' }, created: false } };
    fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'en-GB' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await vi.waitFor(() => expect(onSaved).toHaveBeenCalledWith({ ...ARTICLE, language: 'en-GB' }));
    expect(screen.queryByText('a language tag such as en or en-GB')).toBeNull();
    expect(requests.every((r) => r.url === '/api/kb/articles/card-arrival' && r.method === 'PUT')).toBe(true);
  });

  it('shows a message-only refusal (a conflict) on top', async () => {
    const { fetchImpl } = stubFetch(409, { code: 'EARPIECE_KB_ARTICLE_EXISTS', message: 'article card-arrival exists: PUT /api/kb/articles/card-arrival replaces it' });
    render(<ArticleForm article={null} onSaved={() => undefined} onCancel={() => undefined} fetchImpl={fetchImpl} />);
    fireEvent.change(screen.getByLabelText('Id (optional)'), { target: { value: 'card-arrival' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create article' }));
    expect((await screen.findByRole('alert')).textContent).toContain('article card-arrival exists');
  });
});
