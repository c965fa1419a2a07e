import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../config.ts';
import { parseRulesYaml, RulesValidationError, validateRules } from './rules-schema.ts';

const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof RulesValidationError, String(err));
    return err.problems;
  }
  assert.fail('expected the rules to be rejected');
};

const rule = (extra: Record<string, unknown>) => ({ id: 'r1', title: 'T', message: 'M', severity: 'warning', ...extra });

test('the default banking rules file is valid and covers every kind', () => {
  const file = parseRulesYaml(readFileSync(join(REPO_ROOT, 'models/packs/banking/compliance-rules.yaml'), 'utf8'));
  assert.equal(typeof file.version, 'string');
  assert.deepEqual([...new Set(file.rules.map((r) => r.kind))].sort(), ['emotion', 'hold', 'ordered', 'phrase', 'pii', 'required', 'silence']);
  const disclosure = file.rules.find((r) => r.id === 'recording-disclosure');
  assert.ok(disclosure?.kind === 'required' && disclosure.withinMs === 15_000 && disclosure.role === 'agent');
});

test('defaults are filled in and a numeric version becomes a string', () => {
  const file = validateRules({ version: 3, rules: [rule({ kind: 'hold', maxMs: 1000 }), rule({ id: 'r2', kind: 'emotion' })] });
  assert.equal(file.version, '3');
  assert.equal(file.minSimilarity, 0.8);
  assert.deepEqual(file.rules[1], { id: 'r2', title: 'T', message: 'M', severity: 'warning', enabled: true, kind: 'emotion', labels: ['angry'], consecutive: 3, onEscalation: true });
});

test('each problem is reported with where it is and which rule', () => {
  assert.deepEqual(problemsOf(() => validateRules({ rules: [] })), ['version: a version is required: a string or number (1 to 64 characters), bumped on every change']);
  const problems = problemsOf(() =>
    validateRules({
      version: '1',
      rules: [
        rule({ kind: 'required', phrases: [] }),
        rule({ id: 'Bad Id', kind: 'hold', maxMs: 10 }),
        rule({ id: 'r3', kind: 'shout' }),
        rule({ id: 'r4', kind: 'phrase', phrases: ['x'], severity: 'fatal' }),
        rule({ id: 'r1', kind: 'silence', maxMs: 5, colour: 'red' }),
        rule({ id: 'r6', kind: 'phrase' }),
        rule({ id: 'r7', kind: 'ordered', first: { phrases: [] }, then: { phrases: [] } }),
      ],
    }),
  );
  const expect = [
    /^rules\[0\] \(r1\)\.phrases: a required rule needs at least one phrase$/,
    /^rules\[1\] \(Bad Id\)\.id: ids are lower-case/,
    /^rules\[2\] \(r3\)\.kind: /,
    /^rules\[3\] \(r4\)\.severity: /,
    /^rules\[4\] \(r1\): Unrecognized key: "colour"$/,
    /^rules\[5\] \(r6\): a phrase rule needs phrases or words$/,
    /^rules\[6\] \(r7\)\.first: the first step needs at least one phrase$/,
    /^rules\[6\] \(r7\)\.then: the then step needs phrases or intents$/,
  ];
  for (const re of expect) assert.ok(problems.some((p) => re.test(p)), `${re} in ${JSON.stringify(problems, null, 1)}`);
});

test('duplicate ids, bad similarity and broken YAML are rejected', () => {
  assert.deepEqual(problemsOf(() => validateRules({ version: 'a', rules: [rule({ kind: 'hold', maxMs: 1 }), rule({ kind: 'hold', maxMs: 2 })] })), ['rules[1] (r1).id: duplicate rule id "r1"']);
  assert.match(problemsOf(() => validateRules({ version: 'a', minSimilarity: 0.2, rules: [] }))[0]!, /^minSimilarity: /);
  assert.match(problemsOf(() => parseRulesYaml('version: 1\nrules: [ {id: x'))[0]!, /^not valid YAML: /);
  assert.match(problemsOf(() => parseRulesYaml('just text'))[0]!, /^\(file\): /);
});
