/**
 * Fuzz: SDP offers (parseSdp through sdp-transform) and what the bridge does with one (usable
 * audio, hold detection, the answer), on real offers mutated line- and byte-wise and random bytes.
 * A bad offer must be a BridgeError (EARPIECE_SIP_BAD_SDP), never another throw; an answer must
 * have one m-line per offered m-line. Short count in CI; EARPIECE_SOAK=1 runs 100,000 cases.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fuzzSync, returnsOrThrowsTyped } from '../../../../assist-server/src/testing/fuzz-harness.ts';
import { fuzzInput } from '../../../../assist-server/src/testing/fuzz-mutations.ts';
import { BridgeError } from '../../core/errors.ts';
import { siprecSdp } from '../siprec/siprec-fixtures.ts';
import { buildSdpAnswer, isHoldOffer, isSending, isUsableAudio, parseSdp } from './sdp.ts';

export const SDP_SAMPLES: string[] = [
  siprecSdp(),
  siprecSdp({ address: '10.1.2.3', ports: [30000, 30002], direction: 'inactive', pt: 8 }),
  ['v=0', 'o=- 1 2 IN IP6 2001:db8::1', 's=-', 'c=IN IP6 2001:db8::1', 't=0 0', 'a=sendrecv', 'm=audio 4000 RTP/AVPF 96 8 0 101', 'a=rtpmap:96 opus/48000/2', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15', 'a=ptime:20', 'm=video 5000 RTP/AVP 31', 'm=audio 0 RTP/SAVP 0', ''].join('\r\n'),
  ['v=0', 'o=phone 5 5 IN IP4 192.168.1.10', 's=call', 't=0 0', 'm=audio 7078 RTP/AVP 0', 'c=IN IP4 0.0.0.0', 'a=sendonly', 'a=label:customer', ''].join('\n'),
];

const DICTIONARY = [
  'v=0', 'm=audio 99999999999 RTP/AVP 0', 'm=audio -1 RTP/AVP', 'm=', 'a=rtpmap:0', 'a=rtpmap:x PCMU/abc', 'a=rtpmap:101 telephone-event/0',
  'c=IN IP4', 'c=IN IP9 ::::', 'a=label:', 'a=inactive', 'a=recvonly', 'a=sendonly', 'a=fmtp:', 'a=rtcp:', 'a=candidate:1 1 UDP 1 x 1 typ host',
  'a=ssrc:1 cname:x', 'a=group:BUNDLE', 'a=extmap:1 x', 'a=ice-options:', 'b=AS:', '\u0000', '=', 'a=', 'a=rtpmap:4294967296 PCMU/8000',
];

const isBadSdp = (err: unknown) => err instanceof BridgeError;

test('fuzz: parseSdp returns an offer or throws BridgeError; the offer yields an answer with one m-line per offered m-line', (t) => {
  const initial = parseSdp(SDP_SAMPLES[0]!);
  fuzzSync(
    t,
    'sdp',
    fuzzInput(SDP_SAMPLES, { lines: true, dictionary: DICTIONARY }),
    (bytes) => {
      const offer = returnsOrThrowsTyped(() => parseSdp(bytes.toString('utf8')), isBadSdp, 'parseSdp');
      if (!offer) return;
      for (const s of offer.streams) {
        isUsableAudio(s);
        isSending(s);
      }
      isHoldOffer(offer, initial);
      isHoldOffer(initial, offer);
      const answers = offer.streams.map((s, i) => ({ port: isUsableAudio(s) ? 20000 + 2 * i : 0, codecs: s.codecs }));
      const answer = buildSdpAnswer(offer, answers, { address: '127.0.0.1', sessionId: '1', version: 1 });
      assert.equal(answer.match(/^m=/gm)?.length ?? 0, offer.streams.length);
      // Our own answer is always SDP we can read back.
      assert.equal(parseSdp(answer).streams.length, offer.streams.length);
    },
    { shortRuns: 2500 },
  );
});

test('fuzz: parseSdp on random text never throws anything but BridgeError', (t) => {
  fuzzSync(
    t,
    'sdp-random-text',
    fc.string({ unit: 'binary', maxLength: 400 }).map((s) => `v=0\r\n${s}\nm=${s}`),
    (text) => void returnsOrThrowsTyped(() => parseSdp(text), isBadSdp, 'parseSdp'),
    { shortRuns: 1500 },
  );
});
