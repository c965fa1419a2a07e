/** The bars on the team's own labeled sets (fixtures/pii-eval.*.jsonl). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { evaluatePii, parseEvalJsonl, PiiEvalError } from './pii-eval.ts';

const load = (name: string) => parseEvalJsonl(readFileSync(fileURLToPath(new URL(`./fixtures/pii-eval.${name}.jsonl`, import.meta.url)), 'utf8'));

const MUST_EN = ['CREDIT_CARD', 'SSN', 'PHONE'];
const MUST_ZH = ['CN_ID', 'CN_MOBILE'];
/** The template-generated sets, and the hand-written ones that read like recognizer output of real calls. */
const SETS = [
  { name: 'en', lang: 'en', must: MUST_EN, minLines: 150, minPiiFreeShare: 1 / 3 },
  { name: 'zh', lang: 'zh', must: MUST_ZH, minLines: 60, minPiiFreeShare: 1 / 3 },
  { name: 'calls.en', lang: 'en', must: MUST_EN, minLines: 130, minPiiFreeShare: 0.4 },
  { name: 'calls.zh', lang: 'zh', must: MUST_ZH, minLines: 50, minPiiFreeShare: 0.4 },
] as const;

for (const { name, lang, must, minLines, minPiiFreeShare } of SETS) {
  test(`${name} set: size, hard negatives, and the issue's bars`, () => {
    const report = evaluatePii(load(name), { lang });
    assert.ok(report.lines >= minLines, `${report.lines} lines`);
    assert.ok(report.piiFreeLines >= minPiiFreeShare * report.lines, `${report.piiFreeLines} PII-free of ${report.lines}`);
    for (const t of must) {
      assert.ok((report.perType[t]?.total ?? 0) > 0, `${t} has no labelled span`);
      assert.equal(report.perType[t]?.recall, 1, `${t} recall ${JSON.stringify(report.perType[t])} missed ${JSON.stringify(report.missed.filter((m) => m.type === t))}`);
    }
    assert.ok(report.entityRecall >= 0.98, `entity recall ${report.entityRecall}`);
    assert.ok(report.piiFreeMaskedShare <= 0.03, `masked on ${report.piiFreeMaskedShare} of PII-free lines: ${JSON.stringify(report.falsePositiveLines)}`);
  });
}

test('metrics are computed from the detector output (a detector that masks nothing scores 0 recall)', () => {
  const lines = load('en');
  const none = evaluatePii(lines, { lang: 'en', detect: () => [] });
  assert.equal(none.entityRecall, 0);
  assert.equal(none.wordRecall, 0);
  assert.equal(none.piiFreeMaskedShare, 0);
  const all = evaluatePii(lines, { lang: 'en', detect: (w) => [{ type: 'X', start: 0, end: w.length, confidence: 1 }] });
  assert.equal(all.entityRecall, 1);
  assert.equal(all.piiFreeMaskedShare, 1);
  assert.ok(all.wordPrecision < 0.6);
});

test('bad data lines are rejected with EARPIECE_PII_EVAL_DATA and the line number', () => {
  assert.throws(() => parseEvalJsonl('{"text":"a b","spans":[]}\nnot json'), (e: unknown) => e instanceof PiiEvalError && e.code === 'EARPIECE_PII_EVAL_DATA' && /line 2/.test(e.message));
  assert.throws(() => parseEvalJsonl('{"text":"a b","spans":[{"start":1,"end":5,"type":"SSN"}]}'), /line 1/);
});
