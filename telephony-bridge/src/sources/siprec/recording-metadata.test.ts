import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRecordingMetadata } from './recording-metadata.ts';
import { siprecMetadata, siprecMetadataOldStyle } from './siprec-fixtures.ts';

test('RFC 7865 metadata: participants with AoR and name, streams with labels, participantstreamassoc send/recv', () => {
  for (const prefix of [false, true]) {
    const m = parseRecordingMetadata(siprecMetadata({ prefix }));
    assert.deepEqual(m.streams, [{ id: 'c3RyZWFtMQ==', label: '1' }, { id: 'c3RyZWFtMg==', label: '2' }], `prefix ${prefix}`);
    assert.deepEqual(m.participants.map((p) => [p.id, p.aor, p.name, p.send, p.recv]), [
      ['cGFydDE=', 'sip:+14155550142@carrier.example.com', 'Customer', ['c3RyZWFtMQ=='], ['c3RyZWFtMg==']],
      ['cGFydDI=', 'sip:1001@pbx.example.com', 'Agent Smith', ['c3RyZWFtMg=='], ['c3RyZWFtMQ==']],
    ]);
  }
});

test('older style: send/recv inside participant and id= attributes', () => {
  const m = parseRecordingMetadata(siprecMetadataOldStyle());
  assert.deepEqual(m.participants.map((p) => [p.id, p.aor, p.send]), [['p1', 'sip:1001@10.0.0.1', ['st1']], ['p2', 'sip:0044207946000@10.0.0.1', ['st2']]]);
  assert.deepEqual(m.streams, [{ id: 'st1', label: '1' }, { id: 'st2', label: '2' }]);
});

test('not metadata: malformed XML, wrong root, entity declarations', () => {
  assert.throws(() => parseRecordingMetadata('<recording><participant></recording>'), { code: 'EARPIECE_SIPREC_BAD_METADATA' });
  assert.throws(() => parseRecordingMetadata('<html/>'), { code: 'EARPIECE_SIPREC_BAD_METADATA' });
  assert.throws(() => parseRecordingMetadata('<!DOCTYPE r [<!ENTITY x "y">]><recording/>'), { code: 'EARPIECE_SIPREC_BAD_METADATA' });
  assert.deepEqual(parseRecordingMetadata('<recording xmlns="urn:ietf:params:xml:ns:recording:1"/>'), { participants: [], streams: [] });
});
