/**
 * A CallSession on the real PocketSphinx engine: keypad tones in the audio are redacted from the
 * spool around each DTMF digit the bridge reports, the digit reaches the sink masked, and audio
 * away from them is kept sample for sample.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { PiiTranscriptMasker } from '../analyzers/pii-masker/pii-transcript-masker.ts';
import { CallStartMessage, type CallEvent } from '../protocol/index.ts';
import { loadSpeechEngine } from '../recognition/engine-registry.ts';
import { CallSession } from './call-session.ts';

const RATE = 8000;
/** DTMF "5": 770 Hz + 1336 Hz. */
const tone = (n: number) => Int16Array.from({ length: n }, (_, i) => Math.round(6000 * (Math.sin((2 * Math.PI * 770 * i) / RATE) + Math.sin((2 * Math.PI * 1336 * i) / RATE))));
const rms = (pcm: Int16Array) => Math.sqrt(pcm.reduce((s, x) => s + x * x, 0) / Math.max(1, pcm.length));

test('DTMF digits: masked on the way to the agent, their tones silenced in the recording', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'earpiece-session-'));
  const engine = await loadSpeechEngine({ engine: 'pocketsphinx', voskModelDir: '/nonexistent', pocketsphinxModelDir: undefined, cacheDir: join(dir, 'models'), logger: pino({ level: 'silent' }) });
  const events: CallEvent[] = [];
  let audio = new Int16Array(0);
  const session = await CallSession.open({
    start: CallStartMessage.parse({ type: 'call.start', v: 1, callId: 'dtmf-call', agentId: 'agent-1', source: 'test', startedAtMs: Date.now(), legs: [{ role: 'customer', sampleRateHz: RATE }] }),
    engine,
    masker: new PiiTranscriptMasker({ lang: 'en' }),
    sink: { onCallEvent: (e) => events.push(e) },
    spoolDir: join(dir, 'spool'),
    redaction: { marginMs: 0, fill: 'silence' },
    logger: pino({ level: 'silent' }),
  });
  try {
    // 3 s of continuous tone in 20 ms frames; the bridge reports digits at 1.0 s and 2.0 s
    audio = tone(3 * RATE);
    const frame = RATE / 50;
    for (let seq = 0; seq * frame < audio.length; seq++) {
      const offsetSamples = seq * frame;
      assert.equal(session.acceptFrame({ role: 'customer', seq, offsetSamples, pcm: audio.subarray(offsetSamples, offsetSamples + frame) }), 'accepted');
      if (offsetSamples === RATE) session.dtmf('customer', '5', 1000);
      if (offsetSamples === 2 * RATE) session.dtmf('customer', '9', 2000);
    }
    await session.stop('test');
  } finally {
    await engine.close();
  }
  assert.deepEqual(events.filter((e) => e.type === 'dtmf').map((e) => (e.type === 'dtmf' ? e.digit : '')), ['•', '•']);
  const raw = readFileSync(session.recordings()[0]!.spoolPath);
  const spool = new Int16Array(raw.buffer, raw.byteOffset, raw.length / 2);
  assert.equal(spool.length, 3 * RATE, 'the whole leg is recorded');
  const at = (ms: number) => (ms / 1000) * RATE;
  for (const d of [1000, 2000]) {
    assert.equal(rms(spool.subarray(at(d - 100), at(d + 400))), 0, `digit at ${d} ms silenced from -100 to +400 ms`);
  }
  assert.deepEqual(spool.subarray(0, at(900)), tone(3 * RATE).subarray(0, at(900)), 'audio before the first digit kept exactly');
  assert.ok(rms(spool.subarray(at(1450), at(1850))) > 5000, 'audio between the digits kept');
});
