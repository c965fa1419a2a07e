import assert from 'node:assert/strict';
import { CallStore } from '../../store/call-store.ts';
import { CustomerHistoryStore } from '../../store/customer-history-store.ts';
import { summarizeCall } from './call-summary-source.ts';
import { storeFinishedCall } from './stored-call-fixture.ts';

import { testOnDatabases } from '../../testing/test-databases.ts';

testOnDatabases('summary of a stored call: intent timeline, masked key facts, what was tried, what is open', async (_t, { db }) => {
  const store = new CallStore(db);
  const history = new CustomerHistoryStore(db);
  await storeFinishedCall(store, history, 'sum-1');
  const s = await summarizeCall({ store, history }, 'sum-1');
  assert.ok(s);
  assert.equal(s.status, 'ended');
  assert.equal(s.durationMs, 13000);
  assert.deepEqual(
    s.intentTimeline.map((i) => [i.label, i.offsetMs, i.uncertain, i.text]),
    [
      ['lost_or_stolen_card', 3000, false, 'I lost my card yesterday'],
      ['oos', 6000, true, 'the number is [CREDIT_CARD]'],
    ],
  );
  assert.deepEqual(s.keyFacts, [{ utteranceId: 'u3', role: 'customer', offsetMs: 6000, types: ['CREDIT_CARD'], text: 'the number is [CREDIT_CARD]' }]);
  assert.deepEqual(s.keypadDigits, { customer: 2 });
  assert.deepEqual(s.tried.articles, [{ articleId: 'lost-card', title: 'Report a lost or stolen card', timesSuggested: 1, feedback: ['used'] }]);
  assert.deepEqual(s.tried.advice.map((a) => [a.kind, a.target]), [['transfer', 'fraud']]);
  assert.deepEqual(s.tried.complianceDone, ['Recording disclosure']);
  assert.deepEqual(s.tried.complianceWarnings, [{ ruleId: 'no-promises', title: 'Promise of returns', severity: 'warning' }]);
  assert.deepEqual(
    { ...s.open, escalations: s.open.escalations.map((e) => e.reason) },
    {
      lastIntent: 'lost_or_stolen_card',
      outcome: 'transferred',
      openIssue: 'lost_or_stolen_card',
      transferTarget: 'fraud',
      escalations: ['persistent-anger'],
      repeatedQuestions: 0,
      complianceOwed: ['Verify identity'],
      emotion: { label: 'angry', trend: 0.8 },
    },
  );
  assert.equal(s.customerContext?.previousCalls.length, 1);

  const lines = s.text.split('\n');
  assert.match(lines[0]!, /^Call sum-1 from •••• 0142, agent agent-1, started 2026-11-24 09:30 UTC, 0:13 \(ended\)\.$/);
  assert.ok(lines.includes('Earlier calls: 1; the last on 2026-11-20 about card arrival (resolved).'), s.text);
  assert.ok(lines.includes('Customer asked about: lost or stolen card (0:03).'), s.text);
  assert.ok(lines.includes('Key facts: customer gave [CREDIT_CARD] ("the number is [CREDIT_CARD]"); customer keyed 2 digits.'), s.text);
  assert.ok(lines.includes('Tried: article "Report a lost or stolen card" (used); transfer to fraud advised.'), s.text);
  assert.ok(lines.includes('Open: lost or stolen card (for fraud); customer escalated (persistent-anger); customer seems angry.'), s.text);
  const strings = JSON.stringify(s, (_k, v: unknown) => (typeof v === 'number' ? null : v));
  assert.ok(!/\d{4,}/.test(strings.replace(/\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?|•••• \d{4}/g, '')), 'no digit runs in any text (dates and the masked number aside)');
});

testOnDatabases('an unknown call has no summary', async (_t, { db }) => {
  assert.equal(await summarizeCall({ store: new CallStore(db), history: new CustomerHistoryStore(db) }, 'nope'), undefined);
});
