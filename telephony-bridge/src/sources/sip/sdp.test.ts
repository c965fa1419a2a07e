import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSdpAnswer, isHoldOffer, isUsableAudio, parseSdp } from './sdp.ts';
import { siprecSdp } from '../siprec/siprec-fixtures.ts';

test('parses m=audio lines: payloads, static and mapped codecs, labels, direction, c= per media or session', () => {
  const text = siprecSdp({ address: '10.1.1.1', ports: [4000, 4002] }).replace('m=audio 4002 RTP/AVP 0 101\r\n', 'm=audio 4002 RTP/AVP 0 101\r\nc=IN IP4 10.2.2.2\r\n');
  const o = parseSdp(text);
  assert.deepEqual(o.streams.map((s) => [s.port, s.label, s.direction, s.address, s.codecs.map((c) => `${c.pt}:${c.codec}`)]), [
    [4000, '1', 'sendonly', '10.1.1.1', ['0:PCMU', '101:telephone-event']],
    [4002, '2', 'sendonly', '10.2.2.2', ['0:PCMU', '101:telephone-event']],
  ]);
  const bareLf = parseSdp('v=0\no=- 1 1 IN IP4 1.1.1.1\ns=-\nc=IN IP4 1.1.1.1\nt=0 0\na=recvonly\nm=audio 5000 RTP/AVP 8 18\nm=video 5002 RTP/AVP 96\n');
  assert.deepEqual(bareLf.streams.map((s) => [s.direction, s.codecs.map((c) => c.codec), isUsableAudio(s)]), [['recvonly', ['PCMA'], true], ['recvonly', [], false]]);
  assert.throws(() => parseSdp('hello'), { code: 'EARPIECE_SIP_BAD_SDP' });
  assert.equal(isUsableAudio(parseSdp('v=0\r\no=- 1 1 IN IP4 1.1.1.1\r\ns=-\r\nt=0 0\r\nm=audio 5000 RTP/AVP 18\r\n').streams[0]!), false, 'G.729 only');
});

test('answer: one m-line per offered line, recvonly, offered codecs, labels, rejected lines with port 0', () => {
  const offer = parseSdp(`${siprecSdp()}m=video 6000 RTP/AVP 96\r\n`);
  const answer = buildSdpAnswer(offer, [{ port: 30000, codecs: offer.streams[0]!.codecs }, { port: 30002, codecs: offer.streams[1]!.codecs }], { address: '192.0.2.1', sessionId: '7', version: 1 });
  const back = parseSdp(answer);
  assert.deepEqual(back.streams.map((s) => [s.media, s.port, s.direction, s.label, s.formats.join(' ')]), [
    ['audio', 30000, 'recvonly', '1', '0 101'],
    ['audio', 30002, 'recvonly', '2', '0 101'],
    ['video', 0, 'sendrecv', undefined, '96'],
  ]);
  assert.match(answer, /^c=IN IP4 192\.0\.2\.1\r$/m);
  assert.match(answer, /a=fmtp:101 0-16/);
  const inactive = buildSdpAnswer(parseSdp(siprecSdp({ direction: 'inactive' })), [{ port: 1, codecs: offer.streams[0]!.codecs }, { port: 2, codecs: offer.streams[0]!.codecs }], { address: '::1', sessionId: '7', version: 2 });
  assert.equal((inactive.match(/a=inactive/g) ?? []).length, 2);
  assert.match(inactive, /IN IP6 ::1/);
});

test('hold: a=inactive, port 0 or c=0.0.0.0 on every stream; sendrecv turned sendonly; SIPREC sendonly is not hold', () => {
  const initial = parseSdp(siprecSdp());
  assert.equal(isHoldOffer(initial, initial), false);
  assert.equal(isHoldOffer(parseSdp(siprecSdp({ direction: 'inactive' })), initial), true);
  assert.equal(isHoldOffer(parseSdp(siprecSdp({ address: '0.0.0.0' })), initial), true);
  assert.equal(isHoldOffer(parseSdp(siprecSdp({ ports: [0, 0] })), initial), true);
  const phone = parseSdp(siprecSdp({ direction: 'sendrecv' }));
  assert.equal(isHoldOffer(parseSdp(siprecSdp({ direction: 'sendonly' })), phone), true);
  assert.equal(isHoldOffer(phone, phone), false);
});
