import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { QaScorecard, QaScores } from '@earpiece/assist-server/protocol';
import { QA_FORM, ScorecardForm } from './scorecard-form.tsx';

afterEach(cleanup);

const scores: QaScores = { greeting: 5, verification: 'n/a', accuracy: 4, empathy: 3, compliance: 2, resolution: 1 };

function choose(criterion: string, value: string) {
  const group = screen.getByRole('group', { name: criterion });
  fireEvent.click(within(group).getByRole('radio', { name: value }));
}

describe('ScorecardForm', () => {
  it('saves every criterion and the comment, then says when', async () => {
    const onSave = vi.fn(async (body: { scores: QaScores; comment: string }): Promise<QaScorecard> => ({ callId: 'c', reviewer: 'r', ...body, updatedAtMs: Date.UTC(2026, 0, 1, 10, 0) }));
    render(<ScorecardForm initial={null} onSave={onSave} />);
    for (const c of QA_FORM) choose(c.label, String(scores[c.id]));
    fireEvent.change(screen.getByRole('textbox', { name: 'Comment' }), { target: { value: 'Good recovery.' } });
    expect(screen.getByRole('status').textContent).toBe('Unsaved changes.');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save scorecard' })));
    expect(onSave).toHaveBeenCalledWith({ scores, comment: 'Good recovery.' });
    expect(screen.getByRole('status').textContent).toMatch(/^Saved at /);
  });

  it('refuses to save with criteria unscored and names them', async () => {
    const onSave = vi.fn();
    render(<ScorecardForm initial={null} onSave={onSave} />);
    choose('Greeting', '4');
    choose('Empathy', 'n/a');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save scorecard' })));
    expect(onSave).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toContain('Verification, Accuracy, Compliance, Resolution');
  });

  it('starts from the saved scorecard and shows a refused save', async () => {
    const initial: QaScorecard = { callId: 'c', reviewer: 'r', scores, comment: 'earlier', updatedAtMs: Date.UTC(2026, 0, 1) };
    const onSave = vi.fn(async () => {
      throw new Error('invalid scorecard: scores.empathy: too big');
    });
    render(<ScorecardForm initial={initial} onSave={onSave} />);
    expect((within(screen.getByRole('group', { name: 'Verification' })).getByRole('radio', { name: 'n/a' }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('textbox', { name: 'Comment' }) as HTMLTextAreaElement).value).toBe('earlier');
    expect(screen.getByRole('status').textContent).toMatch(/^Last saved /);
    choose('Empathy', '0');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save scorecard' })));
    expect(onSave).toHaveBeenCalledWith({ scores: { ...scores, empathy: 0 }, comment: 'earlier' });
    expect(screen.getByRole('alert').textContent).toBe('Not saved: invalid scorecard: scores.empathy: too big');
  });
});
