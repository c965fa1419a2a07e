import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMultipart } from './multipart.ts';
import { multipartBody, siprecMetadata, siprecSdp } from './siprec-fixtures.ts';

test('SDP + metadata parts with CRLF or bare LF line endings', () => {
  for (const eol of ['\r\n', '\n']) {
    const body = multipartBody([{ type: 'application/sdp', body: siprecSdp() }, { type: 'application/rs-metadata+xml', body: siprecMetadata(), disposition: 'recording-session' }], 'foobar', eol);
    const parts = parseMultipart(Buffer.from(`preamble${eol}${body}epilogue`), 'foobar');
    assert.deepEqual(parts.map((p) => p.contentType), ['application/sdp', 'application/rs-metadata+xml']);
    assert.equal(parts[1]!.headers.get('content-disposition'), 'recording-session');
    assert.ok(parts[0]!.body.toString().startsWith(`v=0${eol}`));
    assert.ok(parts[1]!.body.toString().trimEnd().endsWith('</recording>'), 'no delimiter left in the part');
    assert.ok(!parts[1]!.body.toString().includes('--foobar'));
  }
});

test('boundary with special characters, missing close delimiter, part without headers', () => {
  const parts = parseMultipart(Buffer.from('--a.b+c?\r\nContent-Type: application/sdp\r\n\r\nv=0\r\n--a.b+c?\r\n\r\nplain\r\n'), 'a.b+c?');
  assert.deepEqual(parts.map((p) => [p.contentType, p.body.toString()]), [['application/sdp', 'v=0'], ['text/plain', 'plain\r\n']]);
  assert.throws(() => parseMultipart(Buffer.from('no delimiters here'), 'x'), { code: 'EARPIECE_SIP_BAD_MULTIPART' });
  assert.throws(() => parseMultipart(Buffer.from('--x\r\n'), ''), { code: 'EARPIECE_SIP_BAD_MULTIPART' });
});
