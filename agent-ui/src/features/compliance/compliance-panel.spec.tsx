import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import type { AgentServerMessage } from '@earpiece/assist-server/protocol';
import { callReducer, initialAgentState } from '../../state/call-reducer.ts';
import { selectActiveCall } from '../../state/select-active-call.ts';
import { checklist, ended, started, warning } from '../../testing/agent-messages.ts';
import { ComplianceAnnouncer, CompliancePanel, dueLabel } from './compliance-panel.tsx';

afterEach(cleanup);
const callAfter = (messages: AgentServerMessage[]) => selectActiveCall(messages.reduce(callReducer, initialAgentState));

const items = checklist(2, [
  { ruleId: 'disclosure', title: 'Recording disclosure', status: 'done', dueOffsetMs: 15_000 },
  { ruleId: 'id-check', title: 'Verify identity', status: 'owed', dueOffsetMs: null },
  { ruleId: 'offer-survey', title: 'Offer the survey', status: 'owed', dueOffsetMs: 75_000 },
  { ruleId: 'fees', title: 'Explain fees', status: 'missed', dueOffsetMs: 60_000 },
]);

describe('CompliancePanel', () => {
  it('shows nothing without a checklist or warnings', () => {
    const { container } = render(<CompliancePanel call={callAfter([started(1)])} />);
    expect(container.textContent).toBe('');
  });

  it('lists the checklist with each item\'s status and due time, and counts what is owed', () => {
    render(<CompliancePanel call={callAfter([started(1), items])} />);
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Compliance · 2 owed');
    const rows = within(screen.getByRole('list', { name: 'Checklist' })).getAllByRole('listitem');
    expect(rows.map((r) => r.textContent)).toEqual([
      'Done Recording disclosure · was due by 0:15',
      'Owed Verify identity',
      'Owed Offer the survey · due by 1:15',
      'Missed Explain fees · was due by 1:00',
    ]);
    expect(dueLabel({ ruleId: 'x', title: 'X', status: 'owed', dueOffsetMs: 15_000 })).toBe('due by 0:15');
  });

  it('lists warnings newest first with severity, time and evidence', () => {
    const profanity = { ...warning(4, 'profanity', 'warning'), role: 'agent' as const, evidence: 'darn it', utteranceId: 'a3' };
    render(<CompliancePanel call={callAfter([started(1), items, warning(3, 'disclosure-late', 'critical'), profanity])} />);
    const rows = within(screen.getByRole('list', { name: 'Warnings, newest first' })).getAllByRole('listitem');
    expect(rows.map((r) => r.dataset.ruleId)).toEqual(['profanity', 'disclosure-late']);
    expect(rows[0]!.className).toContain('warning-warning');
    expect(rows[0]!.textContent).toContain('Warning Rule profanity at 0:04');
    expect(rows[0]!.textContent).toContain('Heard (you): “darn it”');
    expect(rows[1]!.className).toContain('warning-critical');
    expect(rows[1]!.textContent).toContain('Critical');
    expect(rows[1]!.textContent).toContain('Do something about disclosure-late.');
  });
});

describe('ComplianceAnnouncer', () => {
  it('is an empty live region until a critical warning, which it reads out; other severities stay quiet', () => {
    const view = render(<ComplianceAnnouncer call={callAfter([started(1), warning(2, 'chatty', 'info')])} />);
    const region = screen.getByTestId('compliance-announcer');
    expect(region.getAttribute('aria-live')).toBe('assertive');
    expect(region.textContent).toBe('');
    view.rerender(<ComplianceAnnouncer call={callAfter([started(1), warning(2, 'chatty', 'info'), warning(3, 'returns-promise', 'critical'), warning(4, 'minor', 'warning')])} />);
    expect(screen.getByTestId('compliance-announcer')).toBe(region);
    expect(region.textContent).toBe('Compliance: Rule returns-promise. Do something about returns-promise.');
    view.rerender(<ComplianceAnnouncer call={callAfter([started(1), warning(3, 'returns-promise', 'critical'), ended(5)])} />);
    expect(region.textContent).toBe('');
  });
});
