import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pino from 'pino';
import type { CallSummary, FinalUtterance } from '../../protocol/index.ts';
import type { AnalyzerEventBody } from '../live/live-analyzer.ts';
import { ComplianceMonitor } from './compliance-monitor.ts';
import { bumpVersion, ComplianceRules, type ReloadResult } from './rules-loader.ts';

const dir = mkdtempSync(join(tmpdir(), 'earpiece-rules-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const rulesYaml = (version: string, phrase: string) => `# test rules
version: "${version}"
rules:
  - id: forbidden
    kind: phrase
    title: Forbidden
    message: Do not say it
    severity: warning
    role: agent
    phrases: ["${phrase}"]
`;

function capturingLogger() {
  const lines: Array<{ level: number; msg: string; problems?: string[] }> = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

/** Resolves with the first reload result that satisfies `match` (reloads are events: no sleeping). */
function reloadWhere(rules: ComplianceRules, match: (r: ReloadResult) => boolean): Promise<ReloadResult> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (off(), reject(new Error('no matching reload within 10 s'))), 10_000);
    const off = rules.onReload((r) => {
      if (!match(r)) return;
      clearTimeout(timer);
      off();
      resolve(r);
    });
  });
}

/** Replaces the file the way editors and deploy tools do: write a copy, rename it over. */
function replaceFile(path: string, text: string): void {
  writeFileSync(`${path}.new`, text);
  renameSync(`${path}.new`, path);
}

test('a changed rules file is picked up by a live call from its next utterance; a broken one keeps the old rules and is logged', async () => {
  const path = join(dir, 'watched.yaml');
  writeFileSync(path, rulesYaml('1', 'free money'));
  const { log, lines } = capturingLogger();
  const rules = await ComplianceRules.open({ path, log, debounceMs: 20 });
  try {
    assert.equal(rules.current.version, '1');
    const call: CallSummary = { callId: 'reload-1', agentId: 'a', callerNumber: null, startedAtMs: 0, legs: ['agent', 'customer'], source: 'test' };
    const events: AnalyzerEventBody[] = [];
    const monitor = new ComplianceMonitor({ call, callerKey: null, log, emit: (b) => events.push(b) }, { rules });
    let n = 0;
    const say = (text: string) => monitor.onFinal({ utteranceId: `u${n++}`, role: 'agent', text, startMs: n * 1000, endMs: n * 1000 + 500, words: [] } satisfies FinalUtterance);
    const warned = () => events.flatMap((e) => (e.type === 'compliance.warning' ? [`${e.ruleId}@${e.rulesVersion}: ${e.evidence}`] : []));

    say('this is free money for you');
    assert.deepEqual(warned(), ['forbidden@1: free money']);

    const v2 = reloadWhere(rules, (r) => r.ok && r.version === '2');
    replaceFile(path, rulesYaml('2', 'cash back offer'));
    await v2;
    say('this is free money for you');
    say('we have a cash back offer today');
    assert.deepEqual(warned(), ['forbidden@1: free money', 'forbidden@2: cash back offer'], 'the new rules from the next utterance on');

    const broken = reloadWhere(rules, (r) => !r.ok);
    replaceFile(path, 'version: "3"\nrules:\n  - id: forbidden\n    kind: phrase\n');
    const result = await broken;
    assert.ok(!result.ok && result.problems.some((p) => /rules\[0\] \(forbidden\)\.title/.test(p)), JSON.stringify(result));
    assert.equal(rules.current.version, '2', 'the previous rules stay active');
    assert.deepEqual(rules.status().lastError?.problems, result.problems);
    const logged = lines.find((l) => l.level === 50 && /rejected/.test(l.msg));
    assert.ok(logged?.problems?.length, 'the rejection is logged with its problems');
    say('we have a cash back offer today');
    assert.equal(warned().length, 3, 'calls go on with the previous rules');

    const fixed = reloadWhere(rules, (r) => r.ok && r.version === '4');
    replaceFile(path, rulesYaml('4', 'cash back offer'));
    await fixed;
    assert.equal(rules.status().lastError, null);
  } finally {
    rules.close();
  }
});

test('a missing file at start leaves no rules active, logged, and is picked up once it appears', async () => {
  const path = join(dir, 'later.yaml');
  const { log, lines } = capturingLogger();
  const rules = await ComplianceRules.open({ path, log, debounceMs: 20 });
  try {
    assert.equal(rules.current.rules.length, 0);
    assert.match(rules.status().lastError?.problems[0] ?? '', /cannot read .*ENOENT/);
    assert.ok(lines.some((l) => l.level === 50));
    const loaded = reloadWhere(rules, (r) => r.ok);
    replaceFile(path, rulesYaml('1', 'x y z'));
    assert.deepEqual(await loaded, { ok: true, version: '1', changed: true });
  } finally {
    rules.close();
  }
});

test('replace validates, writes the file atomically and bumps an unchanged version', async () => {
  const path = join(dir, 'api.yaml');
  writeFileSync(path, rulesYaml('2026.1', 'free money'));
  const { log } = capturingLogger();
  const rules = await ComplianceRules.open({ path, log, watch: false });
  await assert.rejects(rules.replace('version: 1\nrules: [{ id: x, kind: hold }]'), { code: 'EARPIECE_COMPLIANCE_RULES_INVALID' });
  assert.equal(readFileSync(path, 'utf8'), rulesYaml('2026.1', 'free money'), 'a rejected replacement leaves the file alone');

  assert.deepEqual(await rules.replace(rulesYaml('2026.1', 'cash back')), { version: '2026.2', bumped: true, changed: true });
  const written = readFileSync(path, 'utf8');
  assert.match(written, /^# test rules/, 'YAML comments survive');
  assert.match(written, /version: "?2026\.2"?/);
  assert.equal(rules.current.version, '2026.2');

  assert.deepEqual(await rules.replace(rulesYaml('2026.2', 'cash back')), { version: '2026.2', bumped: false, changed: false }, 'the same rules again: nothing to bump');
  const doc = { version: 'release-7', rules: [{ id: 'hold', kind: 'hold', title: 'Hold', message: 'Back to the caller', severity: 'info', maxMs: 30_000 }] };
  assert.deepEqual(await rules.replace(doc), { version: 'release-7', bumped: false, changed: true });
  assert.equal(rules.current.rules[0]?.kind, 'hold');
  assert.match(readFileSync(path, 'utf8'), /version: release-7/);
  // a file written by the API is the file the next start reads
  const again = await ComplianceRules.open({ path, log, watch: false });
  assert.equal(again.current.version, 'release-7');
});

test('version bumps', () => {
  assert.deepEqual(['3', '2026.1', 'v1.2.9', 'r09', 'draft', '2026-11-24'].map(bumpVersion), ['4', '2026.2', 'v1.2.10', 'r10', 'draft.1', '2026-11-25']);
});
