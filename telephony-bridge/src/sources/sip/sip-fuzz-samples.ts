/**
 * SIP messages for the fuzz harnesses (sip-message.fuzz.test.ts, sip-endpoint.fuzz.test.ts): a
 * SIPREC INVITE with SDP, one with a multipart body (SDP + RFC 7865 metadata), BYE, OPTIONS with
 * compact headers, a 200 with a challenge, an ACK with credentials; and tokens worth inserting.
 */
import { multipartBody, siprecMetadata, siprecSdp } from '../siprec/siprec-fixtures.ts';

const head = (start: string, headers: string[], body = '') => [start, ...headers, `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n');
const dialog = ['Via: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bK-1;rport', 'From: "SRC" <sip:src@10.0.0.9>;tag=abc', 'To: <sip:srs@10.0.0.5>;tag=xyz', 'Call-ID: call-1@10.0.0.9'];
const boundary = 'OSS-unique-boundary-42';

export const SIP_SAMPLES: string[] = [
  head('INVITE sip:srs@10.0.0.5:5060 SIP/2.0', [...dialog, 'CSeq: 1 INVITE', 'Contact: <sip:src@10.0.0.9:5060>;+sip.src', 'Require: siprec, Timer', 'Content-Type: application/sdp', 'Session-Expires: 1800;refresher=uac'], siprecSdp()),
  head('INVITE sip:srs@10.0.0.5 SIP/2.0', [...dialog, 'CSeq: 7 INVITE', 'Contact: <sip:src@10.0.0.9>', 'Require: siprec', `Content-Type: multipart/mixed;boundary="${boundary}"`], multipartBody([{ type: 'application/sdp', body: siprecSdp() }, { type: 'application/rs-metadata+xml', body: siprecMetadata(), disposition: 'recording-session' }], boundary)),
  head('BYE sip:srs@10.0.0.5 SIP/2.0', [...dialog, 'CSeq: 2 BYE', 'Max-Forwards: 70']),
  head('OPTIONS sip:srs@10.0.0.5 SIP/2.0', ['v: SIP/2.0/TCP [2001:db8::1]:5061;branch=z9hG4bK-9', 'f: <sips:a@x>;tag=1', 't: <tel:+14155550142>', 'i: opt-1', 'CSeq: 3 OPTIONS', 'k: timer, 100rel']),
  head('SIP/2.0 200 OK', [...dialog, 'CSeq: 1 INVITE', 'Contact: <sip:srs@10.0.0.5>', 'WWW-Authenticate: Digest realm="pbx", nonce="abc", qop="auth"']),
  head('ACK sip:srs@10.0.0.5 SIP/2.0', [...dialog, 'CSeq: 1 ACK', 'Authorization: Digest username="u", realm="pbx", nonce="abc", uri="sip:srs@10.0.0.5", response="00"']),
];

export const SIP_DICTIONARY = [
  '\r\n', '\n', '\r\n\r\n', '\r\n ', ':', ';', ',', '<', '>', '"', '\\', '%', '%zz', '\u0000',
  'Content-Length: 99999\r\n', 'l: -1\r\n', 'Content-Length: 4294967296\r\n', 'CSeq: 2147483648 INVITE\r\n',
  'Via: SIP/2.0/UDP [::1\r\n', 'From: <tel:%>;tag=\r\n', 'Contact: "unterminated <sip:a@b\r\n', 'SIP/2.0 999 X\r\n',
  'INVITE sip:a SIP/2.0\r\n', 'Content-Type: multipart/mixed;boundary=""\r\n', ' folded continuation\r\n',
];

