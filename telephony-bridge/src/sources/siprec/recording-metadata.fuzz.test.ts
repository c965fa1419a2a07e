/**
 * Fuzz: SIPREC bodies: the multipart/mixed splitter, RFC 7865 recording metadata (fast-xml-parser
 * behind a well-formedness check) and the leg mapping built on them, on the fixtures' bodies
 * mutated line- and byte-wise and random bytes. A bad body must be a BridgeError
 * (EARPIECE_SIP_BAD_MULTIPART / EARPIECE_SIPREC_BAD_METADATA), never another throw. Short count in
 * CI; EARPIECE_SOAK=1 runs 100,000 cases.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fuzzSync, returnsOrThrowsTyped } from '../../../../assist-server/src/testing/fuzz-harness.ts';
import { fuzzInput } from '../../../../assist-server/src/testing/fuzz-mutations.ts';
import { BridgeError } from '../../core/errors.ts';
import { mapLegs } from './leg-mapping.ts';
import { parseMultipart } from './multipart.ts';
import { parseRecordingMetadata } from './recording-metadata.ts';
import { multipartBody, siprecMetadata, siprecMetadataOldStyle, siprecSdp } from './siprec-fixtures.ts';

const METADATA_SAMPLES = [siprecMetadata(), siprecMetadata({ prefix: true, customerLabel: '2', customer: 'tel:+44%2020' }), siprecMetadataOldStyle()];
const BOUNDARY = 'uniqueBoundary';
const MULTIPART_SAMPLES = [
  multipartBody([{ type: 'application/sdp', body: siprecSdp() }, { type: 'application/rs-metadata+xml', body: siprecMetadata(), disposition: 'recording-session' }], BOUNDARY),
  multipartBody([{ type: 'application/sdp', body: siprecSdp() }, { type: 'application/rs-metadata', body: siprecMetadataOldStyle() }], BOUNDARY, '\n'),
];

const XML_DICTIONARY = [
  '<!DOCTYPE x>', '<!ENTITY a "b">', '&amp;', '&#0;', '&#x110000;', '&unknown;', '<![CDATA[', ']]>', '<?xml?>', '</recording>', '<recording>',
  '<participant participant_id="">', '<participant id="p1">', '<send>', '</send>', '<stream stream_id="s" />', '<label>1</label>', '<nameID aor="tel:%">',
  '<nameID aor="sip:%zz@x">', '<aor>sip:1001@pbx</aor>', '<participantstreamassoc participant_id="cGFydDE=">', 'xmlns:a="x"', '<a:b/>', '__proto__', '<__proto__>', '<constructor>', '<!-- -->', '\u0000', '"', "'",
];
const MULTIPART_DICTIONARY = [`--${BOUNDARY}`, `--${BOUNDARY}--`, '\r\n', '\n', 'Content-Type: ', 'Content-Type: multipart/mixed;boundary=x', 'Content-Type: application/rs-metadata+xml\r\n\r\n', ' \t', '\r\n\r\n'];

const isBridgeError = (err: unknown) => err instanceof BridgeError;

test('fuzz: parseRecordingMetadata returns metadata or throws BridgeError; mapLegs maps any metadata', (t) => {
  const rule = { agentExtensions: ['1001'], agentAorPattern: '^sip:agent' };
  fuzzSync(
    t,
    'siprec-metadata',
    fc.tuple(fuzzInput(METADATA_SAMPLES, { lines: true, dictionary: XML_DICTIONARY }), fc.array(fc.option(fc.constantFrom('1', '2', '3', ''), { nil: undefined }), { maxLength: 3 })),
    ([bytes, labels]) => {
      const metadata = returnsOrThrowsTyped(() => parseRecordingMetadata(bytes.toString('utf8')), isBridgeError, 'parseRecordingMetadata');
      const mapping = mapLegs(labels, metadata, rule);
      assert.ok(mapping.streams.length <= Math.min(labels.length, 2));
      assert.equal(new Set(mapping.streams.map((s) => s.role)).size, mapping.streams.length, 'one stream per role');
      assert.equal(typeof mapping.agentId, 'string');
    },
    { shortRuns: 2000 },
  );
});

test('fuzz: parseMultipart returns parts or throws BridgeError, for any body and boundary', (t) => {
  fuzzSync(
    t,
    'siprec-multipart',
    fc.tuple(fuzzInput(MULTIPART_SAMPLES, { lines: true, dictionary: MULTIPART_DICTIONARY }), fc.oneof(fc.constant(BOUNDARY), fc.string({ maxLength: 12 }), fc.constantFrom('(', '[a-', '.*', '\\', '$&', ''))),
    ([bytes, boundary]) => {
      const parts = returnsOrThrowsTyped(() => parseMultipart(bytes, boundary), isBridgeError, 'parseMultipart');
      for (const p of parts ?? []) {
        assert.ok(p.body.length <= bytes.length);
        assert.match(p.contentType, /^[^;\s]+$/);
      }
    },
    { shortRuns: 2000 },
  );
});
