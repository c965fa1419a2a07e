/**
 * Fuzz: the WebSocket media dialects (Twilio Media Streams, mod_audio_fork): conversations of valid
 * messages with fields replaced (any JSON value), mutated JSON text, random text and binary frames.
 * A decoder returns events or throws MediaStreamError (which names the close code), never another
 * throw; audio events carry sane positions (finite, non-negative, exact sample counts). Short count
 * in CI; EARPIECE_SOAK=1 runs 100,000 cases.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fuzzSync, returnsOrThrowsTyped } from '../../../../assist-server/src/testing/fuzz-harness.ts';
import { fuzzInput, mutatedJson } from '../../../../assist-server/src/testing/fuzz-mutations.ts';
import { AudioForkDecoder } from './audio-fork.ts';
import { MediaStreamError, type MediaDecoder, type MediaEvent } from './media-events.ts';
import { TwilioDecoder } from './twilio.ts';

const TWILIO: Array<Record<string, unknown>> = [
  { event: 'connected', protocol: 'Call', version: '1.0.0' },
  { event: 'start', sequenceNumber: '1', streamSid: 'MZ1', start: { callSid: 'CA1', streamSid: 'MZ1', tracks: ['inbound', 'outbound'], customParameters: { agentId: 'agent-4', callerNumber: '+14155550142' }, mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } } },
  { event: 'media', sequenceNumber: '2', streamSid: 'MZ1', media: { track: 'inbound', chunk: '1', timestamp: '5', payload: Buffer.alloc(160, 0xff).toString('base64') } },
  { event: 'media', sequenceNumber: '3', streamSid: 'MZ1', media: { track: 'outbound', chunk: '1', timestamp: '20', payload: Buffer.alloc(160, 0x7f).toString('base64') } },
  { event: 'dtmf', sequenceNumber: '4', streamSid: 'MZ1', dtmf: { track: 'inbound_track', digit: '7' } },
  { event: 'mark', sequenceNumber: '5', streamSid: 'MZ1', mark: { name: 'm' } },
  { event: 'stop', sequenceNumber: '6', streamSid: 'MZ1', stop: { callSid: 'CA1' } },
];
const AUDIO_FORK: Array<Record<string, unknown>> = [
  { callId: 'fs-7f3a', agentId: 'agent-2', callerNumber: '+442071234567', mixType: 'stereo', sampleRate: 16000 },
  { callId: 'fs-1', mixType: 'mono', sampleRate: 8000, token: 'secret' },
  { event: 'dtmf', digit: '5', channel: 0 },
  { event: 'stop' },
];

type Message = { text: string } | { binary: Buffer };
const conversation = (samples: Array<Record<string, unknown>>, binary: fc.Arbitrary<Buffer>): fc.Arbitrary<Message[]> =>
  fc.array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...samples).map((m) => ({ text: JSON.stringify(m) })) },
      { weight: 3, arbitrary: mutatedJson(samples, ['media', 'start', 'payload', 'timestamp', 'chunk', 'track', 'sampleRate', 'mixType']).map((m) => ({ text: JSON.stringify(m) })) },
      { weight: 1, arbitrary: fuzzInput(samples.map((m) => JSON.stringify(m)), { maxOps: 2 }).map((b) => ({ text: b.toString('utf8') })) },
      { weight: 2, arbitrary: binary.map((b) => ({ binary: b })) },
    ),
    { maxLength: 12 },
  );

function play(decoder: MediaDecoder, messages: Message[]): void {
  for (const m of messages) {
    const events = returnsOrThrowsTyped<MediaEvent[]>(() => ('text' in m ? decoder.text(m.text) : decoder.binary(m.binary)), (err) => err instanceof MediaStreamError && Number.isInteger(err.closeCode), `${decoder.dialect} decoder`);
    for (const e of events ?? []) {
      if (e.type !== 'audio') continue;
      assert.ok(e.pcm.length <= 96_000, 'one audio event is at most a second or so');
      if (e.offsetSamples !== undefined) assert.ok(Number.isSafeInteger(e.offsetSamples) && e.offsetSamples >= 0, `audio at offset ${e.offsetSamples}`);
    }
  }
}

test('fuzz: the Twilio decoder returns events or throws MediaStreamError for any conversation', (t) => {
  fuzzSync(t, 'ws-media-twilio', conversation(TWILIO, fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a))), (messages) => play(new TwilioDecoder(), messages), { shortRuns: 1500 });
});

test('fuzz: the audio-fork decoder returns events or throws MediaStreamError for any conversation', (t) => {
  const pcm = fc.oneof(fc.uint8Array({ maxLength: 1300 }).map((a) => Buffer.from(a)), fc.integer({ min: 0, max: 800 }).map((n) => Buffer.alloc(n * 4, 1)));
  fuzzSync(t, 'ws-media-audio-fork', conversation(AUDIO_FORK, pcm), (messages) => play(new AudioForkDecoder(), messages), { shortRuns: 1500 });
});
