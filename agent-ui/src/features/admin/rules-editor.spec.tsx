import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { parseProblem } from './admin-api.ts';
import { RulesEditor } from './rules-editor.tsx';

afterEach(cleanup);

const YAML = '# Compliance rules\nversion: "2026.1"\nrules: []\n';

// `fetch` is the browser edge: stubbed with the server's answers (format of routes/compliance-routes.ts).
function server(putAnswer: { status: number; body: unknown }) {
  const puts: Array<{ contentType: string | null; body: string }> = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    if (String(input) === '/api/compliance/rules.yaml') return new Response(YAML, { status: 200, headers: { 'content-type': 'application/yaml', 'x-rules-version': '2026.1' } });
    puts.push({ contentType: new Headers(init?.headers).get('content-type'), body: String(init?.body) });
    return new Response(JSON.stringify(putAnswer.body), { status: putAnswer.status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { fetchImpl, puts };
}

describe('RulesEditor', () => {
  it('loads the YAML, sends edits as YAML, and lists each refused problem with its path', async () => {
    const { fetchImpl, puts } = server({
      status: 400,
      body: {
        code: 'EARPIECE_COMPLIANCE_RULES_INVALID',
        message: 'rules rejected: the previous rules stay active',
        problems: ['rules[0] (x).severity: Invalid option: expected one of "info"|"warning"|"critical"', 'not valid YAML: bad indentation'],
      },
    });
    render(<RulesEditor fetchImpl={fetchImpl} />);
    const textarea = (await screen.findByLabelText(/Rules file \(YAML\)/)) as HTMLTextAreaElement;
    expect(textarea.value).toBe(YAML);
    expect(screen.getByText(/version 2026.1 active/)).toBeDefined();

    const edited = YAML.replace('rules: []', 'rules:\n  - id: x\n    severity: loud');
    fireEvent.change(textarea, { target: { value: edited } });
    fireEvent.click(screen.getByRole('button', { name: 'Save rules' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('the previous rules stay active');
    const paths = [...alert.querySelectorAll('.problem-path')].map((e) => e.textContent);
    expect(paths).toEqual(['rules[0] (x).severity', 'not valid YAML']);
    expect(alert.textContent).toContain('Invalid option: expected one of "info"|"warning"|"critical"');
    expect(textarea.getAttribute('aria-invalid')).toBe('true');
    expect(textarea.getAttribute('aria-describedby')).toBe(alert.id);
    expect(puts).toEqual([{ contentType: 'application/yaml', body: edited }]);
  });

  it('reports the new version after a save', async () => {
    const { fetchImpl } = server({ status: 200, body: { version: '2026.2', bumped: false, changed: true, path: '/x' } });
    render(<RulesEditor fetchImpl={fetchImpl} />);
    await screen.findByLabelText(/Rules file \(YAML\)/);
    fireEvent.click(screen.getByRole('button', { name: 'Save rules' }));
    expect(await screen.findByText('Saved: rules version 2026.2 are active.')).toBeDefined();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('parseProblem', () => {
  it('splits a problem line at the first ": " (paths hold dots and brackets, messages hold colons)', () => {
    expect(parseProblem('rules[2] (no-returns).phrases: Too small: expected 1')).toEqual({ path: 'rules[2] (no-returns).phrases', message: 'Too small: expected 1' });
    expect(parseProblem('weird')).toEqual({ path: '(file)', message: 'weird' });
  });
});
