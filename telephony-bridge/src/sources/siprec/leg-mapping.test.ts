import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapLegs, isAgentAor } from './leg-mapping.ts';
import { parseRecordingMetadata } from './recording-metadata.ts';
import { siprecMetadata, siprecMetadataOldStyle } from './siprec-fixtures.ts';

const rule = { agentExtensions: ['1001'] };

test('label → stream → sending participant → role by agent extension; ids from the AoRs', () => {
  for (const customerLabel of ['1', '2'] as const) {
    const m = mapLegs(['1', '2'], parseRecordingMetadata(siprecMetadata({ customerLabel })), rule);
    assert.deepEqual(m.streams.map((s) => s.role), customerLabel === '1' ? ['customer', 'agent'] : ['agent', 'customer']);
    assert.deepEqual([m.agentId, m.callerNumber, m.mappedBy], ['1001', '+14155550142', 'metadata']);
  }
  const old = mapLegs(['1', '2'], parseRecordingMetadata(siprecMetadataOldStyle()), rule);
  assert.deepEqual([old.streams.map((s) => s.role), old.callerNumber], [['agent', 'customer'], '0044207946000']);
});

test('AoR pattern rule; one stream placed → the other takes the other role', () => {
  assert.ok(isAgentAor('sip:agent.7@pbx', { agentAorPattern: '^sip:agent\\.' }));
  assert.ok(!isAgentAor('sip:customer@pbx', { agentAorPattern: /^sip:agent\./ }));
  const md = parseRecordingMetadata(siprecMetadata({ customerLabel: '2' }));
  md.streams[1]!.label = '9'; // the customer's stream no longer matches an SDP label
  const m = mapLegs(['1', '2'], md, { agentAorPattern: '@pbx\\.example\\.com$' });
  assert.deepEqual(m.streams.map((s) => s.role), ['agent', 'customer']);
});

test('fallback: no metadata, ambiguous metadata (two agents), configurable order, default agent id', () => {
  const none = mapLegs(['1', '2'], undefined, { ...rule, defaultAgentId: 'desk-9' });
  assert.deepEqual([none.streams.map((s) => s.role), none.mappedBy, none.agentId, none.callerNumber], [['customer', 'agent'], 'fallback', 'desk-9', undefined]);
  const swapped = mapLegs(['1', '2'], undefined, { fallbackOrder: ['agent', 'customer'] });
  assert.deepEqual(swapped.streams.map((s) => s.role), ['agent', 'customer']);
  const both = mapLegs(['1', '2'], parseRecordingMetadata(siprecMetadata({ customer: 'sip:1002@pbx' })), { agentExtensions: ['1001', '1002'] });
  assert.equal(both.mappedBy, 'fallback');
  assert.equal(mapLegs(['1'], undefined, rule).streams.length, 1);
  assert.equal(mapLegs(['1', '2', '3'], undefined, rule).streams.length, 2, 'one stream per role');
});
