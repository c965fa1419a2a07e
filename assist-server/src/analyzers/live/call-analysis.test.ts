import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import type { CallSummary, FinalUtterance } from '../../protocol/index.ts';
import { CallAnalysis, type AnalysisBody } from './call-analysis.ts';
import type { LiveAnalyzer, LiveAnalyzerFactory, LiveCallContext } from './live-analyzer.ts';

const call: CallSummary = { callId: 'c1', agentId: 'a1', callerNumber: '•••• 4567', startedAtMs: 0, legs: ['agent', 'customer'], source: 'test' };
const final = (role: 'agent' | 'customer', text: string): FinalUtterance => ({ utteranceId: `c1:${role}:0`, role, text, startMs: 0, endMs: 1000, words: [] });

/** An analyzer for the extension point itself: records the hooks it sees and answers each final with a checklist. */
function recordingAnalyzer(seen: string[], contexts: LiveCallContext[]): LiveAnalyzerFactory {
  return (ctx) => {
    contexts.push(ctx);
    const analyzer: LiveAnalyzer = {
      onClock: (ms) => seen.push(`clock ${ms}`),
      onPartial: (role, id, text) => seen.push(`partial ${role} ${text}`),
      onFinal: (u) => {
        seen.push(`final ${u.role} ${u.text}`);
        ctx.emit({ type: 'compliance.checklist', rulesVersion: '1', items: [{ ruleId: 'disclosure', title: 'Recording disclosure', status: 'done', dueOffsetMs: 15_000 }] });
      },
      onDtmf: (role, ms) => seen.push(`dtmf ${role} ${ms}`),
      onHold: (held, ms) => seen.push(`hold ${held} ${ms}`),
      onEnd: (ms) => seen.push(`end ${ms}`),
      snapshot: () => ({ compliance: { warnings: [], checklist: [], rulesVersion: '1' } }),
      drain: async () => void seen.push('drained'),
    };
    return analyzer;
  };
}

test('analyzers get one instance per call, see the call clock, transcript, keys and holds, and emit through the call', async () => {
  const seen: string[] = [];
  const contexts: LiveCallContext[] = [];
  const emitted: AnalysisBody[] = [];
  const analysis = new CallAnalysis({ call, callerKey: 'k1' }, (b) => emitted.push(b), pino({ level: 'silent' }), { analyzers: [recordingAnalyzer(seen, contexts)] });
  assert.equal(contexts.length, 1);
  assert.equal(contexts[0]!.callerKey, 'k1');
  assert.equal(contexts[0]!.call.callId, 'c1');
  const pcm = new Int16Array(320);
  analysis.onAudio('agent', pcm, 16000, 20);
  analysis.onAudio('customer', pcm, 16000, 20); // the other leg at the same time: the clock did not move
  analysis.onAudio('customer', pcm, 16000, 40);
  analysis.onPartial('customer', 'c1:customer:0', 'i lost', 20);
  analysis.onFinal(final('customer', 'i lost my card'), undefined);
  analysis.onFinal(final('agent', 'let me block it'), undefined);
  analysis.onDtmf('customer', 30);
  analysis.onHold(true);
  await analysis.end();
  assert.deepEqual(seen, ['clock 20', 'clock 40', 'partial customer i lost', 'final customer i lost my card', 'final agent let me block it', 'dtmf customer 30', 'hold true 40', 'end 40', 'drained']);
  assert.deepEqual(
    emitted.map((e) => e.type),
    ['compliance.checklist', 'compliance.checklist'],
  );
  const snap = analysis.snapshot();
  assert.deepEqual(snap.intents, [], 'no NLU: no intent timeline');
  assert.equal(snap.emotion, null);
  assert.equal(snap.compliance?.rulesVersion, '1');
});

test('a failing analyzer is logged and does not stop the call or the other analyzers', async () => {
  const seen: string[] = [];
  const errors: string[] = [];
  const log = pino({ level: 'error' }, { write: (line: string) => void errors.push(JSON.parse(line).msg) });
  const broken: LiveAnalyzerFactory = () => ({
    onFinal: () => {
      throw new Error('boom');
    },
  });
  const refusing: LiveAnalyzerFactory = () => {
    throw new Error('cannot start');
  };
  const analysis = new CallAnalysis({ call, callerKey: null }, () => {}, log, { analyzers: [refusing, broken, recordingAnalyzer(seen, [])] });
  analysis.onFinal(final('customer', 'hello'), undefined);
  await analysis.end();
  assert.deepEqual(seen, ['final customer hello', 'end 0', 'drained']);
  assert.deepEqual(errors, ['a live analyzer failed to start: the call runs without it', 'a live analyzer failed']);
});
