/**
 * Fuzz: the SIP message parser, the TCP stream framer and the header-value readers, on valid
 * messages (requests, responses, a SIPREC INVITE with a multipart body) mutated line- and
 * byte-wise and on random bytes. Short counts in CI; EARPIECE_SOAK=1 runs 100,000 cases each.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fuzzSync, returnsOrThrowsTyped } from '../../../../assist-server/src/testing/fuzz-harness.ts';
import { cutPoints, fuzzInput, splitAt } from '../../../../assist-server/src/testing/fuzz-mutations.ts';
import { SIP_DICTIONARY as DICTIONARY, SIP_SAMPLES } from './sip-fuzz-samples.ts';
import { parseSipMessage, serializeSipMessage, SipParseError, getHeaderList, getOptionTags, type SipMessage } from './sip-message.ts';
import { SipFramingError, SipStreamFramer } from './sip-stream-framer.ts';
import { parseContentType, parseNameAddr, parseParams, parseSipUri, parseVia, splitHeaderList } from './sip-header-values.ts';

const isSipError = (err: unknown) => err instanceof SipParseError;

function readEveryHeaderValue(m: SipMessage): void {
  for (const h of m.headers) {
    for (const item of splitHeaderList(h.value)) {
      parseVia(item);
      const addr = parseNameAddr(item);
      parseSipUri(addr.uri);
      parseParams(item);
    }
    parseContentType(h.value);
  }
  getHeaderList(m, 'via');
  getOptionTags(m, 'require');
}

test('fuzz: parseSipMessage returns a message, undefined (keep-alive) or throws SipParseError; what it returns round-trips', (t) => {
  fuzzSync(
    t,
    'sip-message',
    fc.tuple(fuzzInput(SIP_SAMPLES, { lines: true, dictionary: DICTIONARY }), fc.boolean()),
    ([bytes, datagram]) => {
      const m = returnsOrThrowsTyped(() => parseSipMessage(bytes, { datagram }), isSipError, 'parseSipMessage');
      if (!m) return;
      readEveryHeaderValue(m);
      const again = parseSipMessage(serializeSipMessage(m), { datagram: false });
      assert.ok(again, 'a parsed message serializes to a message');
      assert.equal(again.kind, m.kind);
      if (again.kind === 'request' && m.kind === 'request') assert.deepEqual([again.method, again.uri], [m.method, m.uri]);
      if (again.kind === 'response' && m.kind === 'response') assert.deepEqual([again.status, again.reason], [m.status, m.reason]);
      assert.deepEqual(again.body, m.body);
      assert.deepEqual(again.headers.filter((h) => h.name !== 'content-length'), m.headers.filter((h) => h.name !== 'content-length'));
    },
    { shortRuns: 3000 },
  );
});

test('fuzz: header-value readers never throw on any string', (t) => {
  const value = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 80 }), fuzzInput(['sip:1001@pbx.example.com;user=phone', 'tel:+1415%20555', '"Bob \\"B\\"" <sips:bob@[::1]:5061;transport=tcp>;tag=9', 'SIP/2.0/UDP host:99999;received=1.2.3.4;rport'], { dictionary: DICTIONARY }).map((b) => b.toString('latin1')));
  fuzzSync(
    t,
    'sip-header-values',
    value,
    (v) => {
      splitHeaderList(v);
      parseParams(v);
      parseVia(v);
      parseSipUri(v);
      parseSipUri(parseNameAddr(v).uri);
      parseContentType(v);
    },
    { shortRuns: 3000 },
  );
});

test('fuzz: the TCP framer cuts any byte stream, split anywhere, into messages or a SipFramingError; what it returns parses or throws SipParseError', (t) => {
  const stream = fc.array(fuzzInput(SIP_SAMPLES, { lines: true, dictionary: DICTIONARY, maxOps: 2 }), { minLength: 1, maxLength: 4 });
  fuzzSync(
    t,
    'sip-stream-framer',
    fc.tuple(stream, cutPoints()),
    ([messages, cuts]) => {
      const all = Buffer.concat(messages);
      const run = (chunks: Buffer[]) => {
        const framer = new SipStreamFramer(8192);
        const out: Buffer[] = [];
        let failed = false;
        for (const c of chunks) {
          try {
            out.push(...framer.push(c));
          } catch (err) {
            if (!(err instanceof SipFramingError)) throw err;
            failed = true;
          }
        }
        return { out, failed };
      };
      const whole = run([all]);
      const chunked = run(splitAt(all, cuts));
      // A chunk whose tail cannot be framed loses the whole messages before it in that chunk; otherwise the same.
      assert.deepEqual(chunked.out.slice(0, whole.out.length), whole.out);
      if (!whole.failed) assert.deepEqual(chunked.out, whole.out);
      for (const m of chunked.out) {
        assert.ok(m.length <= 8192, 'no framed message is over the limit');
        returnsOrThrowsTyped(() => parseSipMessage(m, { datagram: false, maxBytes: 8192 }), isSipError, 'parseSipMessage(framed)');
      }
    },
    { shortRuns: 1500 },
  );
});
