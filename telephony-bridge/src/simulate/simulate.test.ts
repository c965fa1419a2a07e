/**
 * Fast checks of the simulate pieces: the SIPREC scenario's body goes through the bridge's own
 * multipart, SDP and metadata parsers and maps the legs right; AudioSocket UUIDs pair under the
 * bridge's prefix rule; SIPp error files become reasons; targets, audio fitting, the
 * round-robin and the absolute-clock pacer.
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import { parseTarget } from '../cli/simulate-command.ts';
import { identifyLeg, AudioSocketMappings } from '../sources/audiosocket/pairing.ts';
import { uuidToBytes } from '../sources/audiosocket/framing.ts';
import { parseSdp } from '../sources/sip/sdp.ts';
import { mapLegs } from '../sources/siprec/leg-mapping.ts';
import { parseMultipart } from '../sources/siprec/multipart.ts';
import { parseRecordingMetadata } from '../sources/siprec/recording-metadata.ts';
import { simulatedAudioSocketCallId, simulatedLegUuid } from './audiosocket-simulation.ts';
import { paceFrames } from './frame-clock.ts';
import { sipLegScenario } from './sip-simulation.ts';
import { parseSippErrors, sippCallOutcome, type SippBatchResult } from './sipp-batch.ts';
import { siprecScenario } from './siprec-simulation.ts';
import { batchesByFile } from './sipp-workdir.ts';
import { fitLength } from './simulation-audio.ts';

/** What SIPp would send for call 7: keywords filled in, the INVITE's body. */
function inviteBody(xml: string): { headers: string; body: string } {
  const invite = /<send[^>]*><!\[CDATA\[\n([\s\S]*?)\]\]><\/send>/.exec(xml)![1]!;
  const filled = invite
    .replace(/\[media_port\+2\]/g, '6002')
    .replace(/\[media_port\]/g, '6000')
    .replace(/\[(?:local_ip|media_ip|remote_ip)\]/g, '127.0.0.1')
    .replace(/\[media_ip_type\]/g, '4')
    .replace(/\[call_number\]/g, '7')
    .replace(/\[call_id\]/g, '7-100@127.0.0.1');
  const headers = filled.slice(0, filled.indexOf('\n\n'));
  return { headers, body: filled.slice(headers.length + 2) };
}

test('the SIPREC scenario: multipart SDP (two labelled sendonly PCMU m-lines) + metadata that the bridge maps customer=label 1, agent=the --agent-id', () => {
  const { headers, body } = inviteBody(siprecScenario({ pcap: 'f0-customer.pcap', playMs: 3000, agentId: '7301' }));
  assert.match(headers, /^Require: siprec$/m);
  const boundary = /boundary=(\S+)/.exec(headers)![1]!;
  const parts = parseMultipart(Buffer.from(body.replace(/\n/g, '\r\n')), boundary);
  assert.deepEqual(parts.map((p) => p.contentType), ['application/sdp', 'application/rs-metadata+xml']);
  const sdp = parseSdp(parts[0]!.body.toString());
  assert.deepEqual(sdp.streams.map((s) => [s.port, s.label, s.direction, s.codecs.map((c) => c.codec).join()]), [
    [6000, '1', 'sendonly', 'PCMU,telephone-event'],
    [6002, '2', 'sendonly', 'PCMU,telephone-event'],
  ]);
  const metadata = parseRecordingMetadata(parts[1]!.body.toString());
  const mapped = mapLegs(['1', '2'], metadata, { agentExtensions: ['7301'] });
  assert.equal(mapped.mappedBy, 'metadata');
  assert.deepEqual(mapped.streams.map((s) => s.role), ['customer', 'agent']);
  assert.deepEqual([mapped.agentId, mapped.callerNumber], ['7301', '+15557']);
  // Without the agent's extension configured, the bridge's fallback order still puts the customer first.
  assert.deepEqual(mapLegs(['1', '2'], metadata, {}).streams.map((s) => s.role), ['customer', 'agent']);
});

test('the plain SIP leg scenario carries the grouping, leg and agent headers and plays its pcap before BYE', () => {
  const xml = sipLegScenario({ role: 'agent', pcap: 'f0-agent.pcap', playMs: 4000, agentId: 'desk-9', groupPrefix: 'sim-ab-f0-' });
  const { headers, body } = inviteBody(xml);
  assert.match(headers, /^X-Earpiece-Call-Id: sim-ab-f0-7$/m);
  assert.match(headers, /^X-Earpiece-Leg: agent$/m);
  assert.match(headers, /^X-Earpiece-Agent-Id: desk-9$/m);
  assert.deepEqual(parseSdp(body).streams.map((s) => [s.port, s.direction]), [[6000, 'sendonly']]);
  const play = xml.indexOf('play_pcap_audio="f0-agent.pcap"');
  assert.ok(play > 0 && play < xml.indexOf('<pause milliseconds="4200"/>') && xml.indexOf('<pause milliseconds="4200"/>') < xml.indexOf('BYE sip:'));
});

test('AudioSocket UUIDs pair under the bridge default prefix rule: same call, agent 0x01, customer 0x00', async () => {
  const options = { pairing: { mode: 'uuid-prefix' as const }, mappings: new AudioSocketMappings() };
  const legs = await Promise.all(
    (['agent', 'customer'] as const).map((role) => {
      const uuid = simulatedLegUuid('0badcafe', 513, role);
      return identifyLeg(uuid, uuidToBytes(uuid), options);
    }),
  );
  assert.deepEqual(legs.map((l) => [l.callId, l.role]), [
    [simulatedAudioSocketCallId('0badcafe', 513), 'agent'],
    [simulatedAudioSocketCallId('0badcafe', 513), 'customer'],
  ]);
  assert.notEqual(simulatedAudioSocketCallId('0badcafe', 513), simulatedAudioSocketCallId('0badcafe', 514));
});

test('SIPp error events become per-call reasons: the status with the bridge code, timeouts, other aborts', () => {
  const text = `The following events occurred:
2026-11-24\t09:56:56.907499\t1795514216.907499: Aborting call on unexpected message for Call-Id '2-7104@127.0.0.1': while expecting '200' (index 2), received 'SIP/2.0 503 Service Unavailable
Call-ID: 2-7104@127.0.0.1
Warning: 399 earpiece "call refused (EARPIECE_BRIDGE_CAPACITY): this bridge is at capacity (1 calls)"
Content-Length: 0

'2026-11-24\t09:56:57.000000\t1795514217.000000: Call-Id '3-7104@127.0.0.1': timeout on max UDP retrans for message while expecting '200' (index 2)
2026-11-24\t09:56:58.000000\t1795514218.000000: Aborting call on unexpected message for Call-Id '5-7104@127.0.0.1': while expecting '200' (index 2), received 'SIP/2.0 488 Not Acceptable Here
Call-ID: 5-7104@127.0.0.1
'`;
  const errors = parseSippErrors(text);
  assert.deepEqual([...errors], [
    [2, 'SIP 503 Service Unavailable (EARPIECE_BRIDGE_CAPACITY)'],
    [3, 'timeout waiting for 200'],
    [5, 'SIP 488 Not Acceptable Here'],
  ]);
  const result = (done: number[]): SippBatchResult => ({ exitCode: 1, done: new Set(done), errors, fatal: undefined });
  assert.deepEqual(sippCallOutcome([result([1, 2]), result([1])], 1), { ok: true });
  assert.deepEqual(sippCallOutcome([result([1, 2]), result([1])], 2), { ok: false, reason: 'SIP 503 Service Unavailable (EARPIECE_BRIDGE_CAPACITY)' });
  assert.equal(sippCallOutcome([result([])], 9).ok, false);
});

test('targets, audio fitting and round-robin', () => {
  assert.deepEqual(parseTarget(undefined, 5062), { host: '127.0.0.1', port: 5062 });
  assert.deepEqual(parseTarget('pbx.example:5080', 5062), { host: 'pbx.example', port: 5080 });
  assert.deepEqual(parseTarget('10.0.0.5', 9092), { host: '10.0.0.5', port: 9092 });
  assert.deepEqual(parseTarget('[::1]:9093', 1), { host: '::1', port: 9093 });
  assert.throws(() => parseTarget('host:99999', 1), /HOST:PORT/);
  assert.deepEqual([...fitLength(Int16Array.from([1, 2, 3]), 7)], [1, 2, 3, 1, 2, 3, 1]);
  assert.deepEqual([...fitLength(Int16Array.from([1, 2, 3]), 2)], [1, 2]);
  assert.deepEqual(batchesByFile(5, 2), [
    { file: 0, indexes: [0, 2, 4] },
    { file: 1, indexes: [1, 3] },
  ]);
  assert.deepEqual(batchesByFile(1, 3), [{ file: 0, indexes: [0] }]);
});

test('the pacer keeps an absolute clock: after a stall it catches up instead of drifting', async () => {
  const sentAt: number[] = [];
  const start = performance.now();
  const n = await paceFrames(10, 20, (k) => {
    sentAt.push(performance.now() - start);
    if (k === 0) while (performance.now() - start < 100); // a 100 ms stall of the event loop
    return true;
  });
  assert.equal(n, 10);
  // Frames 1-5 were due during the stall: sent at once, not 20 ms apart after it.
  assert.ok(sentAt[5]! < 130, `frame 5 at ${sentAt[5]} ms`);
  assert.ok(sentAt[9]! >= 179 && sentAt[9]! < 260, `frame 9 at ${sentAt[9]} ms (due at 180)`);
  assert.equal(await paceFrames(10, 20, (k) => k < 3), 3, 'stops when send says so');
});
