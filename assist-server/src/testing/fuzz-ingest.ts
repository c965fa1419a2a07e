/**
 * Ingest control messages for the fuzz harnesses (protocol/ingest.fuzz.test.ts, the ingest route's):
 * valid call.start/stop/dtmf/hold with fields replaced, mutated JSON text, random JSON and text.
 */
import fc from 'fast-check';
import { fuzzInput, mutatedJson } from './fuzz-mutations.ts';

export const CONTROL_SAMPLES: Array<Record<string, unknown>> = [
  { type: 'call.start', v: 1, callId: 'call-1', agentId: 'agent-1', callerNumber: '+1 415 555 0142', source: 'siprec', startedAtMs: 1_700_000_000_000, legs: [{ role: 'agent', sampleRateHz: 8000 }, { role: 'customer', codec: 'L16', sampleRateHz: 8000 }] },
  { type: 'call.stop', callId: 'call-1', reason: 'hangup' },
  { type: 'call.dtmf', callId: 'call-1', role: 'customer', digit: '5', offsetMs: 1200.5, durationMs: 100 },
  { type: 'call.hold', callId: 'call-1', held: true },
];

/** Control message text: mutated valid messages (as JSON, or their JSON text mutated), random JSON, random text. */
export function controlText(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: mutatedJson(CONTROL_SAMPLES, ['role', 'codec', 'sampleRateHz', 'digit', 'offsetMs']).map((m) => JSON.stringify(m)) },
    { weight: 2, arbitrary: fuzzInput(CONTROL_SAMPLES.map((m) => JSON.stringify(m)), { dictionary: ['"', '{', '}', '[', ']', ',', ':', '\\u0000', '1e400', '-0', 'null', '"__proto__":{"x":1}', '\\ud800'] }).map((b) => b.toString('utf8')) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  );
}

