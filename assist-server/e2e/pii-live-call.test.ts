/**
 * End to end, PII: a synthesized call in which the customer reads a card number, an e-mail and a
 * date of birth is replayed by the telephony bridge into a whole Earpiece node (PocketSphinx, which
 * garbles some of it, as real recognizers do). None of it may reach the agent's socket (partials
 * included), the archive, the database, the spool, Redis or the logs; in the archived recording
 * the entity spans must be silent, the rest of the speech intact, and a recognizer run over the
 * recording must find none of it. The site here opts in to keeping originals: they must exist only
 * encrypted, and decrypt (with the key) to the caller's unredacted audio.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { replayCall } from '@earpiece/telephony-bridge';
import { PassThroughMasker } from '../src/analyzers/pii-masker/transcript-masker.ts';
import { parseOriginalAudioKey, readOriginalAudio } from '../src/calls/original-audio-vault.ts';
import { readWav } from '../src/audio/wav-file.ts';
import { transcribeAudio } from '../src/cli/transcribe-audio.ts';
import type { AgentServerMessage, TranscriptFinalEvent } from '../src/protocol/index.ts';
import { synthesizeCall, type ScriptLine } from '../src/testing/speech-audio.ts';
import { AgentSocketProbe, startTestStack, type TestStack } from '../src/testing/test-stack.ts';

const SCRIPT: ScriptLine[] = [
  { role: 'agent', text: 'thank you for calling how can I help you today' },
  { role: 'customer', text: 'sure my card number is four five three nine one four eight eight zero three four three six four six seven' },
  { role: 'agent', text: 'thank you and what is your email address' },
  { role: 'customer', text: 'my email is john dot smith at example dot com' },
  { role: 'agent', text: 'and can you confirm your date of birth' },
  { role: 'customer', text: 'my date of birth is march fourth nineteen eighty five' },
];
const CUES = [/card number is/, /email is/, /date of birth is/];
/** Words of the spoken PII (and of nothing else in the script), as a recognizer would write them. */
const PII_WORDS = /\b(zero|one|two|three|four|five|six|seven|eight|nine|nineteen|eighty|fourth|march|john|smith|example|com)\b/i;
const PII_STRINGS = ['4539148803436467', '4539 1488', 'john.smith', 'example.com', 'john dot smith', '1985'];
const MARGIN_MS = 150;

/**
 * Event lines with the text that comes from the site, not the call, left out: suggested articles'
 * titles and answers, rule titles and messages, advice messages ("send you a new one" is not PII).
 * What came from the call stays checked: transcripts, matched terms, rule evidence.
 */
function withoutSiteText(jsonl: string): string {
  return jsonl
    .split('\n')
    .map((line) => {
      if (!line.trim()) return line;
      const e = JSON.parse(line) as Record<string, unknown> & { suggestions?: Array<Record<string, unknown>> };
      if (e.type === 'assist.suggestions') e.suggestions = e.suggestions?.map(({ title: _t, answer: _a, ...rest }) => rest);
      if (e.type === 'compliance.warning' || e.type === 'compliance.checklist' || e.type === 'assist.advice') {
        delete e.title;
        delete e.message;
        if (Array.isArray(e.items)) e.items = (e.items as Array<Record<string, unknown>>).map(({ title: _t, ...rest }) => rest);
      }
      return JSON.stringify(e);
    })
    .join('\n');
}
const KEY_HEX = '5e'.repeat(32);

const rms = (pcm: Int16Array) => Math.sqrt(pcm.reduce((s, x) => s + x * x, 0) / Math.max(1, pcm.length));

let stack: TestStack;
let logPath: string;
before(async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  logPath = join(mkdtempSync(join(tmpdir(), 'earpiece-pii-log-')), 'server.log');
  // debug level: the most the server ever logs must still hold no PII
  const logger = pino({ level: 'debug' }, pino.destination({ dest: logPath, sync: true }));
  stack = await startTestStack({ EARPIECE_LOG_LEVEL: 'debug', EARPIECE_PII_REDACT_MARGIN_MS: String(MARGIN_MS), EARPIECE_ORIGINAL_AUDIO_KEY: KEY_HEX }, { logger });
});
after(async () => stack?.close());

test('card, e-mail and date of birth never reach the socket, the archive, the recording, the data dir or the logs', async () => {
  const callId = 'e2e-pii';
  const call = await synthesizeCall(SCRIPT, { sampleRateHz: 16000 });
  const agent = await AgentSocketProbe.connect(stack.wsUrl, 'agent-1');
  await replayCall({ serverUrl: stack.wsUrl, agentId: 'agent-1', callId, callerNumber: '+14155550142', stereoWav: call.path, speed: 1 });
  await agent.waitFor((m) => m.type === 'call.ended' && m.callId === callId, 20_000);
  agent.close();
  const archived = await stack.node.postCall.waitForArchive(callId);

  // 1. The agent's socket: partials and finals.
  const events = agent.messages.filter((m): m is Extract<AgentServerMessage, { callId: string }> => 'callId' in m && m.callId === callId);
  const customerTexts = events.flatMap((e) => ((e.type === 'transcript.partial' || e.type === 'transcript.final') && e.role === 'customer' ? [e] : []));
  assert.ok(customerTexts.some((e) => e.type === 'transcript.partial'), 'partials were sent');
  for (const e of customerTexts) assert.doesNotMatch(e.text, PII_WORDS, `${e.type} "${e.text}" shows PII`);
  const finals = events.filter((e): e is TranscriptFinalEvent => e.type === 'transcript.final' && e.role === 'customer');
  const types = finals.flatMap((f) => f.entities ?? []).map((e) => e.type);
  for (const t of ['CREDIT_CARD', 'EMAIL', 'DATE_OF_BIRTH']) assert.ok(types.includes(t), `a ${t} entity in ${JSON.stringify(finals.map((f) => f.text))}`);
  for (const cue of CUES) {
    const f = finals.find((x) => cue.test(x.text));
    assert.ok(f, `a final with ${cue}: ${JSON.stringify(finals.map((x) => x.text))}`);
    assert.match(f.text, /\[[A-Z_]+\]$/, `nothing after the cue but the placeholder: "${f.text}"`);
  }

  // 2. The recording: every entity span (plus margin) is silent, the speech around it is kept.
  const wav = await readWav(archived.recordings.find((r) => r.role === 'customer')!.path);
  const recorded = wav.channels[0]!;
  const source = call.audio.channels[1]!;
  const at = (ms: number) => Math.round((ms / 1000) * wav.sampleRateHz);
  for (const e of finals.flatMap((f) => f.entities ?? [])) {
    const [s, t] = [at(e.startMs - MARGIN_MS), at(e.endMs + MARGIN_MS)];
    assert.ok(rms(source.subarray(at(e.startMs), at(e.endMs))) > 300, `${e.type}: the caller spoke over ${e.startMs}-${e.endMs} ms`);
    assert.equal(rms(recorded.subarray(s, t)), 0, `${e.type} span ${e.startMs}-${e.endMs} ms is silent in the recording`);
  }
  for (const f of finals) {
    const cueEnd = f.words[0]!.endMs; // the first word ("sure"/"my") is no PII and must still be heard
    assert.ok(rms(recorded.subarray(at(f.words[0]!.startMs), at(cueEnd))) > 300, `speech before the PII is kept (${f.text})`);
  }
  const heard = await transcribeAudio(stack.node.engine, wav, new PassThroughMasker());
  const heardText = heard.utterances.map((u) => u.text).join(' | ');
  assert.match(heardText, /email|birth|card/, `the recognizer still hears the rest of the call: "${heardText}"`);
  assert.doesNotMatch(heardText, /\b(one|two|three|four|five|six|seven|eight|nine|zero)( \w+)? (one|two|three|four|five|six|seven|eight|nine|zero)\b/, `no digits heard in the recording: "${heardText}"`);
  assert.doesNotMatch(heardText, /example|smith|nineteen|eighty/, `"${heardText}"`);

  // The opted-in originals: only ciphertext on disk, the caller's own audio once decrypted.
  const original = readOriginalAudio(join(archived.archiveDir, 'customer.original.enc'), parseOriginalAudioKey(KEY_HEX));
  assert.deepEqual(original.subarray(0, recorded.length), source.subarray(0, recorded.length), 'decrypted original = unredacted customer leg');

  // 3. At rest (database, WAL, archive JSON, spool, Redis AOF) and in the logs.
  const scanned: string[] = [];
  const scan = (path: string) => {
    const text = readFileSync(path).toString('latin1');
    scanned.push(path);
    for (const s of PII_STRINGS) assert.ok(!text.includes(s), `${path} holds "${s}"`);
    return text;
  };
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
  for (const file of walk(stack.dataDir)) {
    const rel = relative(stack.dataDir, file);
    if (rel.startsWith('models')) continue; // the recognizer's model copy: its dictionary holds every English word
    const text = scan(file);
    if (/\.(json|jsonl)$/.test(file)) assert.doesNotMatch(file.endsWith('.jsonl') ? withoutSiteText(text) : text, PII_WORDS, `${rel} holds PII words`);
  }
  const log = scan(logPath);
  assert.match(log, /EARPIECE_ORIGINAL_AUDIO_KEY is set/, 'keeping originals is logged');
  assert.doesNotMatch(log, PII_WORDS, 'the debug log holds PII words');
  for (const want of ['earpiece.db', 'transcript.json', 'events.jsonl', 'customer.wav']) assert.ok(scanned.some((p) => p.endsWith(want)), `${want} was scanned`);
  const archivedTranscript = JSON.parse(readFileSync(join(archived.archiveDir, 'transcript.json'), 'utf8')) as { utterances: Array<{ entities?: Array<{ type: string }> }> };
  assert.deepEqual(new Set(archivedTranscript.utterances.flatMap((u) => u.entities ?? []).map((e) => e.type)), new Set(types), 'the archive keeps where PII was, not what');
  // The database holds the same masked transcript: utterances with placeholders, no raw words.
  const stored = (await stack.node.store.finals(callId)).filter((u) => u.role === 'customer').map((u) => u.text).join(' ');
  assert.match(stored, /\[CREDIT_CARD\]/);
  assert.doesNotMatch(stored, PII_WORDS);
});
