/** The bars on the team's own labeled sets (fixtures/pii-eval.*.jsonl). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { evaluatePii, parseEvalJsonl, PiiEvalError } from './pii-eval.ts';

const load = (lang: string) => parseEvalJsonl(readFileSync(fileURLToPath(new URL(`./fixtures/pii-eval.${lang}.jsonl`, import.meta.url)), 'utf8'));

for (const [lang, must] of [['en', ['CREDIT_CARD', 'SSN', 'PHONE']], ['zh', ['CN_ID', 'CN_MOBILE']]] as const) {
  test(`${lang} set: size, hard negatives, and the issue's bars`, () => {
    const lines = load(lang);
    const report = evaluatePii(lines, { lang });
    assert.ok(report.lines >= (lang === 'en' ? 150 : 60), `${report.lines} lines`);
    assert.ok(report.piiFreeLines * 3 >= report.lines, `${report.piiFreeLines} PII-free of ${report.lines}`);
    for (const t of must) assert.equal(report.perType[t]?.recall, 1, `${t} recall ${JSON.stringify(report.perType[t])} missed ${JSON.stringify(report.missed.filter((m) => m.type === t))}`);
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
