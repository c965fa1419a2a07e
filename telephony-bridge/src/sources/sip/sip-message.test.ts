import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getHeader, getHeaderList, getOptionTags, parseSipMessage, serializeSipMessage, SipParseError, type SipRequest } from './sip-message.ts';
import { SipStreamFramer, SipFramingError } from './sip-stream-framer.ts';
import { parseNameAddr, parseSipUri, parseVia, parseContentType } from './sip-header-values.ts';

const INVITE = [
  'INVITE sip:srs@10.0.0.5:5060 SIP/2.0',
  'Via: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bK-1;rport',
  'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-0, SIP/2.0/TCP 10.0.0.2;branch=z9hG4bK-00',
  'From: "SRC" <sip:src@10.0.0.9>;tag=abc',
  'To: <sip:srs@10.0.0.5>',
  'Call-ID: call-1@10.0.0.9',
  'CSeq: 1 INVITE',
  'Contact: <sip:src@10.0.0.9:5060>;+sip.src',
  'Require: siprec, Timer',
  'Content-Type: application/sdp',
  'Content-Length: 4',
  '',
  'v=0\n',
].join('\r\n');

function parse(text: string, datagram = true) {
  return parseSipMessage(Buffer.from(text), { datagram });
}

test('parses a request: start line, headers by any case, multiple Via, option tags, body cut at Content-Length', () => {
  const m = parse(INVITE) as SipRequest;
  assert.equal(m.kind, 'request');
  assert.deepEqual([m.method, m.uri], ['INVITE', 'sip:srs@10.0.0.5:5060']);
  assert.equal(getHeader(m, 'CALL-id'), 'call-1@10.0.0.9');
  assert.equal(getHeaderList(m, 'via').length, 3);
  assert.equal(parseVia(getHeaderList(m, 'via')[2]!)!.transport, 'TCP');
  assert.deepEqual(getOptionTags(m, 'require'), ['siprec', 'timer']);
  assert.equal(m.body.toString(), 'v=0\n');
  assert.equal(parse(`${INVITE}extra`)!.body.toString(), 'v=0\n', 'a datagram body longer than Content-Length is cut (RFC 3261 §18.3)');
  assert.equal(parseNameAddr(getHeader(m, 'from')!).params.get('tag'), 'abc');
  assert.equal(parseNameAddr(getHeader(m, 'from')!).display, 'SRC');
});

test('compact header names, folded lines and bare-LF line endings', () => {
  const text = ['OPTIONS sip:x@h SIP/2.0', 'v: SIP/2.0/TCP 1.2.3.4:5070', ' ;branch=z9hG4bK-7', 'f: <sip:a@h>;tag=1', 't: <sip:x@h>', 'i: abc', 'CSeq: 9 OPTIONS', 'l: 0', 'k: timer', '', ''].join('\n');
  const m = parse(text) as SipRequest;
  const via = parseVia(getHeader(m, 'via')!)!;
  assert.deepEqual([via.host, via.port, via.params.get('branch')], ['1.2.3.4', 5070, 'z9hG4bK-7']);
  assert.equal(getHeader(m, 'call-id'), 'abc');
  assert.deepEqual(getOptionTags(m, 'supported'), ['timer']);
  assert.equal(m.body.length, 0);
});

test('responses parse; serialization round-trips with long names and a true Content-Length', () => {
  const res = parse('SIP/2.0 180 Ringing\r\nv: SIP/2.0/UDP h;branch=z9hG4bK1\r\nf: <sip:a@h>;tag=1\r\nt: <sip:b@h>;tag=2\r\ni: x\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n')!;
  assert.equal(res.kind, 'response');
  assert.equal(res.kind === 'response' && res.status, 180);
  const req = parse(INVITE)!;
  const again = parse(serializeSipMessage(req).toString())!;
  assert.deepEqual(again, req);
  assert.match(serializeSipMessage(req).toString(), /\r\nCall-ID: call-1@10\.0\.0\.9\r\n.*Content-Length: 4\r\n\r\nv=0\n$/s);
});

test('keep-alive CRLFs are not messages', () => {
  assert.equal(parse('\r\n\r\n'), undefined);
});

function rejects(text: string | Buffer, code: string, answerable: boolean, options = {}) {
  try {
    parseSipMessage(Buffer.isBuffer(text) ? text : Buffer.from(text), options);
  } catch (err) {
    assert.ok(err instanceof SipParseError);
    assert.equal(err.code, code);
    assert.equal(err.request !== undefined && getHeader(err.request, 'via') !== undefined, answerable, 'whether a 400 can be routed');
    return;
  }
  assert.fail(`expected ${code}`);
}

test('malformed messages throw coded errors that keep what a 400 needs', () => {
  rejects(INVITE.replace('Content-Length: 4', 'Content-Length: 400'), 'EARPIECE_SIP_BAD_CONTENT_LENGTH', true);
  rejects(INVITE.replace('Content-Length: 4', 'Content-Length: four'), 'EARPIECE_SIP_BAD_CONTENT_LENGTH', true);
  rejects(INVITE.split('\r\n').slice(0, 6).join('\r\n'), 'EARPIECE_SIP_TRUNCATED', true);
  rejects(INVITE.replace('CSeq: 1 INVITE', 'CSeq: 1 BYE'), 'EARPIECE_SIP_BAD_CSEQ', true);
  rejects(INVITE.replace('Call-ID: call-1@10.0.0.9\r\n', ''), 'EARPIECE_SIP_MISSING_HEADER', true);
  rejects(INVITE.replace('To: <sip:srs@10.0.0.5>', 'To <sip:srs@10.0.0.5>'), 'EARPIECE_SIP_BAD_HEADER', false);
  rejects('HELLO WORLD\r\n\r\n', 'EARPIECE_SIP_BAD_START_LINE', false);
  rejects(Buffer.alloc(70000, 65), 'EARPIECE_SIP_TOO_LARGE', false);
  rejects(INVITE, 'EARPIECE_SIP_TOO_LARGE', false, { maxBytes: 100 });
});

test('TCP framing: split and coalesced messages, keep-alives, missing Content-Length = empty body', () => {
  const framer = new SipStreamFramer();
  const a = Buffer.from(INVITE);
  const b = Buffer.from('OPTIONS sip:x@h SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK2\r\nFrom: <sip:a@h>;tag=1\r\nTo: <sip:x@h>\r\nCall-ID: y\r\nCSeq: 2 OPTIONS\r\n\r\n');
  const all = Buffer.concat([Buffer.from('\r\n\r\n'), a, b]);
  const out: Buffer[] = [];
  for (let i = 0; i < all.length; i += 7) out.push(...framer.push(all.subarray(i, i + 7)));
  assert.equal(out.length, 2);
  assert.deepEqual(out[0], a);
  assert.equal((parseSipMessage(out[1]!, { datagram: false }) as SipRequest).method, 'OPTIONS');
});

test('TCP framing errors: unframeable Content-Length and oversized messages', () => {
  assert.throws(() => new SipStreamFramer().push(Buffer.from(INVITE.replace('Content-Length: 4', 'Content-Length: x'))), (e: SipFramingError) => e.code === 'EARPIECE_SIP_BAD_CONTENT_LENGTH' && e.head !== undefined);
  assert.throws(() => new SipStreamFramer(1000).push(Buffer.from(INVITE.replace('Content-Length: 4', 'Content-Length: 5000'))), { code: 'EARPIECE_SIP_TOO_LARGE' });
  assert.throws(() => new SipStreamFramer(1000).push(Buffer.alloc(1200, 65)), { code: 'EARPIECE_SIP_TOO_LARGE' });
});

test('header value readers: URIs, tel URIs, content types with quoted boundary', () => {
  assert.deepEqual({ ...parseSipUri('sip:1001@pbx.example.com:5080;transport=tcp')!, params: undefined }, { scheme: 'sip', user: '1001', host: 'pbx.example.com', port: 5080, params: undefined });
  assert.equal(parseSipUri('tel:+14155550142')!.user, '+14155550142');
  const ct = parseContentType('multipart/mixed; boundary="uniq;ue=1"')!;
  assert.deepEqual([ct.type, ct.params.get('boundary')], ['multipart/mixed', 'uniq;ue=1']);
});
