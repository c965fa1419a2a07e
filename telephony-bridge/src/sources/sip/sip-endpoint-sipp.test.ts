/**
 * Real SIPp places a plain SIP call (its built-in uac_pcap scenario: PCMA RTP from the shipped
 * g711a.pcap, then an RFC 2833 digit, then BYE) into the SIP endpoint, which forwards it to a
 * real assist-server node: the call starts with a customer leg, audio flows, the digit arrives
 * (masked) and the call ends on the BYE.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { LegRole } from '@earpiece/assist-server/protocol';
import { AgentSocketProbe, startTestStack, type TestStack } from '../../../../assist-server/src/testing/test-stack.ts';
import type { BridgeCall, BridgeCallSpec, CallSink } from '../../core/call-sink.ts';
import { IngestCallSink } from '../../forwarder/ingest-call-sink.ts';
import { RtpPortPool } from '../rtp/rtp-port-pool.ts';
import { findFreePortRange } from '../rtp/test-ports.ts';
import { startSipEndpoint } from './sip-endpoint.ts';
import { SippDir } from './sipp-runner.ts';

/** The real sink, with a count of the samples each leg handed to it. */
export class CountingSink implements CallSink {
  readonly samples = new Map<LegRole, number>();
  constructor(private readonly inner: CallSink) {}
  get activeCalls(): number {
    return this.inner.activeCalls;
  }
  async open(spec: BridgeCallSpec): Promise<BridgeCall> {
    const call = await this.inner.open(spec);
    const samples = this.samples;
    return {
      callId: call.callId,
      audio(role, pcm, offset) {
        samples.set(role, (samples.get(role) ?? 0) + pcm.length);
        call.audio(role, pcm, offset);
      },
      dtmf: (role, digit, offsetMs, durationMs) => call.dtmf(role, digit, offsetMs, durationMs),
      hold: (held) => call.hold(held),
      get hasCapacity() {
        return call.hasCapacity;
      },
      waitForCapacity: () => call.waitForCapacity(),
      end: (reason) => call.end(reason),
    };
  }
}

let stack: TestStack;
before(async () => {
  stack = await startTestStack();
});
after(async () => stack.close());

test('SIPp uac_pcap → SIP endpoint → assist-server: customer leg with audio, a DTMF digit, ended by BYE', async () => {
  const base = await findFreePortRange(4);
  const sink = new CountingSink(new IngestCallSink({ serverUrl: stack.wsUrl, maxCalls: 4 }));
  const endpoint = await startSipEndpoint({
    host: '127.0.0.1', port: 0, transports: ['udp'],
    rtpPool: new RtpPortPool({ host: '127.0.0.1', minPort: base, maxPort: base + 7 }),
    sink, agentRule: { defaultAgentId: 'sipp-desk' }, groupingWindowMs: 300,
  });
  const agent = await AgentSocketProbe.connect(stack.wsUrl, 'sipp-desk');
  try {
    const sipp = await new SippDir().run(`127.0.0.1:${endpoint.ports.udp}`, ['-sn', 'uac_pcap'], 40_000);
    assert.equal(sipp.code, 0, `sipp failed:\n${sipp.stdout.slice(-3000)}\n${sipp.stderr.slice(-2000)}`);
    const ended = await agent.waitFor((m) => m.type === 'call.ended', 15_000);
    const started = agent.messages.find((m) => m.type === 'call.started');
    assert.ok(started && started.type === 'call.started');
    assert.deepEqual([started.call.legs, started.call.source], [['customer'], 'sip']);
    assert.equal(ended.type === 'call.ended' && ended.reason, 'hangup');
    const dtmf = agent.messages.find((m) => m.type === 'dtmf');
    assert.ok(dtmf && dtmf.type === 'dtmf' && dtmf.role === 'customer', 'the RFC 2833 digit reached the agent (masked)');
    assert.ok((sink.samples.get('customer') ?? 0) >= 8000 * 7, `about 8 s of audio (${sink.samples.get('customer')} samples)`);
  } finally {
    agent.close();
    await endpoint.close();
  }
});
