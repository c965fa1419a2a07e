/** The compliance REST API on a Fastify app with the real rules loader and a real SQLite store. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { bumpVersion, ComplianceRules } from '../analyzers/compliance/rules-loader.ts';
import { parseRulesYaml } from '../analyzers/compliance/rules-schema.ts';
import { REPO_ROOT } from '../config.ts';
import { CallStore } from '../store/call-store.ts';
import { ComplianceStore } from '../store/compliance-store.ts';
import { complianceRoutes } from './compliance-routes.ts';

const dir = mkdtempSync(join(tmpdir(), 'earpiece-compliance-api-'));
const rulesPath = join(dir, 'rules.yaml');
const defaultText = readFileSync(join(REPO_ROOT, 'models/packs/banking/compliance-rules.yaml'), 'utf8');
let app: FastifyInstance;
let calls: CallStore;
let hits: ComplianceStore;
let rules: ComplianceRules;

before(async () => {
  writeFileSync(rulesPath, defaultText);
  calls = await CallStore.openSqlite(join(dir, 'earpiece.db'));
  hits = new ComplianceStore(calls.database);
  rules = await ComplianceRules.open({ path: rulesPath, log: pino({ level: 'silent' }), watch: false });
  app = Fastify();
  await app.register(complianceRoutes, { rules, hits, calls });
  await app.ready();
});
after(async () => {
  await app.close();
  rules.close();
  await calls.close();
  rmSync(dir, { recursive: true, force: true });
});

test('GET and PUT the rules: invalid rules are refused with their problems, valid ones replace the file and apply', async () => {
  const got = await app.inject({ method: 'GET', url: '/api/compliance/rules' });
  assert.equal(got.statusCode, 200);
  const body = got.json();
  assert.equal(body.version, parseRulesYaml(defaultText).version);
  assert.equal(body.path, rulesPath);
  assert.ok(body.rules.rules.some((r: { id: string }) => r.id === 'recording-disclosure'));

  const bad = await app.inject({ method: 'PUT', url: '/api/compliance/rules', payload: { version: '9', rules: [{ id: 'x', kind: 'required', title: 'X', message: 'Y', severity: 'loud', phrases: ['a b c'] }] } });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().code, 'EARPIECE_COMPLIANCE_RULES_INVALID');
  assert.deepEqual(bad.json().problems, ['rules[0] (x).severity: Invalid option: expected one of "info"|"warning"|"critical"']);
  assert.equal(readFileSync(rulesPath, 'utf8'), defaultText);

  // YAML, version left as it was: bumped; comments kept
  const edited = defaultText.replace('maxMs: 60000', 'maxMs: 90000');
  const put = await app.inject({ method: 'PUT', url: '/api/compliance/rules', headers: { 'content-type': 'application/yaml' }, payload: edited });
  assert.equal(put.statusCode, 200, put.body);
  const bumped = bumpVersion(parseRulesYaml(defaultText).version);
  assert.deepEqual(put.json(), { version: bumped, bumped: true, changed: true, path: rulesPath });
  const file = readFileSync(rulesPath, 'utf8');
  assert.match(file, /^# Compliance rules for a retail bank/);
  assert.match(file, /maxMs: 90000/);
  assert.equal(rules.current.version, bumped);
  const hold = rules.current.rules.find((c) => c.kind === 'hold');
  assert.equal(hold?.kind === 'hold' && hold.rule.maxMs, 90_000);

  const empty = await app.inject({ method: 'PUT', url: '/api/compliance/rules', headers: { 'content-type': 'application/yaml' }, payload: '' });
  assert.equal(empty.statusCode, 400);
});

test('GET rules.yaml gives the file as written (comments kept) with its version, and follows a PUT', async () => {
  const before = await app.inject({ method: 'GET', url: '/api/compliance/rules.yaml' });
  assert.equal(before.statusCode, 200);
  assert.match(String(before.headers['content-type']), /^application\/yaml/);
  assert.equal(before.headers['x-rules-version'], rules.current.version);
  assert.equal(before.body, readFileSync(rulesPath, 'utf8'));
  assert.match(before.body, /^# Compliance rules for a retail bank/);

  const edited = before.body.replace(/maxMs: \d+/, 'maxMs: 120000');
  const put = await app.inject({ method: 'PUT', url: '/api/compliance/rules', headers: { 'content-type': 'application/yaml' }, payload: edited });
  assert.equal(put.statusCode, 200, put.body);
  const after = await app.inject({ method: 'GET', url: '/api/compliance/rules.yaml' });
  assert.match(after.body, /maxMs: 120000/);
  assert.equal(after.headers['x-rules-version'], put.json().version);
});

test('hits are listed per call (404 for unknown calls) and across calls by rule and severity', async () => {
  await calls.callStarted({ callId: 'api-call-1', agentId: 'agent-1', callerNumber: null, startedAtMs: 1, legs: ['agent', 'customer'], source: 'test' });
  const base = { callId: 'api-call-1', rulesVersion: '2026.1', atMs: 1000 };
  await hits.record({ ...base, ruleId: 'no-promised-returns', severity: 'critical', title: 'Promise', offsetMs: 9000, utteranceId: 'api-call-1:agent:2', role: 'agent', evidence: 'guaranteed returns' });
  await hits.record({ ...base, ruleId: 'recording-disclosure', severity: 'critical', title: 'Disclosure', offsetMs: 15_000.4, utteranceId: null, role: null, evidence: null });
  await hits.record({ ...base, callId: 'other-call', ruleId: 'long-silence', severity: 'info', title: 'Silence', offsetMs: 30_000, utteranceId: null, role: null, evidence: null, atMs: 2000 });

  const res = await app.inject({ method: 'GET', url: '/api/calls/api-call-1/compliance' });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(
    res.json().hits.map((h: { ruleId: string; offsetMs: number; evidence: string | null }) => [h.ruleId, h.offsetMs, h.evidence]),
    [
      ['no-promised-returns', 9000, 'guaranteed returns'],
      ['recording-disclosure', 15_000, null],
    ],
  );
  assert.equal((await app.inject({ method: 'GET', url: '/api/calls/nope/compliance' })).statusCode, 404);

  const critical = await app.inject({ method: 'GET', url: '/api/compliance/hits?severity=critical' });
  assert.deepEqual(critical.json().hits.map((h: { ruleId: string }) => h.ruleId).sort(), ['no-promised-returns', 'recording-disclosure']);
  const silence = await app.inject({ method: 'GET', url: '/api/compliance/hits?ruleId=long-silence&sinceMs=1500' });
  assert.deepEqual(silence.json().hits.map((h: { callId: string }) => h.callId), ['other-call']);
  assert.equal((await app.inject({ method: 'GET', url: '/api/compliance/hits?severity=loud' })).statusCode, 400);
});
