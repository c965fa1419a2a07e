/**
 * `--via sip`: the PBX forks each call to the bridge's plain SIP endpoint as ordinary SIP calls,
 * one dialog per leg, grouped by `X-Earpiece-Call-Id` and labelled by `X-Earpiece-Leg`, the agent
 * named by `X-Earpiece-Agent-Id`. SIPp places them: per audio file one SIPp process per leg
 * (a stereo file → an agent batch and a customer batch started together, paced alike, so call n
 * of both arrive within the bridge's grouping window; mono → customer only), each dialog an INVITE
 * with a sendonly PCMU offer, ACK, play_pcap_audio of that leg's pcap, BYE once it has played.
 */
import type { LegRole } from '@earpiece/assist-server/protocol';
import { batchesByFile, SippWorkdir } from './sipp-workdir.ts';
import { localAddressFor, runSippBatch, sippCallOutcome } from './sipp-batch.ts';
import { ack, dialogHeaders, playAndHangUp } from './sipp-scenario-parts.ts';
import type { CallOutcome, SimulationPlan } from './simulation-types.ts';

export interface SipLegScenarioOptions {
  role: LegRole;
  pcap: string;
  playMs: number;
  agentId: string;
  /** X-Earpiece-Call-Id value before the SIPp call number. */
  groupPrefix: string;
}

export function sipLegScenario(o: SipLegScenarioOptions): string {
  const from = o.role === 'customer' ? '+1555[call_number]' : o.agentId;
  const dialog = dialogHeaders({ fromName: `Simulated ${o.role}`, fromUser: from, tagInfix: 'SIM', toUser: o.agentId });
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="Earpiece simulate: plain SIP ${o.role} leg">
  <send retrans="500"><![CDATA[
INVITE sip:earpiece@[remote_ip]:[remote_port] SIP/2.0
${dialog.replace('[peer_tag_param]', '')}
CSeq: 1 INVITE
Contact: <sip:sim@[local_ip]:[local_port]>
X-Earpiece-Call-Id: ${o.groupPrefix}[call_number]
X-Earpiece-Leg: ${o.role}
X-Earpiece-Agent-Id: ${o.agentId}
Content-Type: application/sdp
Content-Length: [len]

v=0
o=earpiece-sim 1 1 IN IP[media_ip_type] [media_ip]
s=Earpiece simulate
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0 101
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
a=sendonly
]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rtd="true" timeout="20000"/>
${ack('earpiece', dialog)}
${playAndHangUp({ requestUser: 'earpiece', pcap: o.pcap, playMs: o.playMs, dialog })}
</scenario>
`;
}

export async function simulateSipCalls(plan: SimulationPlan): Promise<CallOutcome[]> {
  const dir = new SippWorkdir();
  const localIp = await localAddressFor(plan.target.host);
  const outcomes: CallOutcome[] = [];
  try {
    await Promise.all(
      batchesByFile(plan.calls, plan.audio.length).map(async ({ file, indexes }) => {
        const audio = plan.audio[file]!;
        const roles: LegRole[] = audio.hasAgent ? ['agent', 'customer'] : ['customer'];
        const batches = roles.map((role, r) => {
          const pcap = dir.pcap(`f${file}`, audio, role, 0x5e000000 + file * 16 + r);
          const scenario = dir.file(`f${file}-${role}.xml`, sipLegScenario({ role, pcap: pcap.name, playMs: pcap.ms, agentId: plan.agentId, groupPrefix: `sim-${plan.runId}-f${file}-` }));
          return runSippBatch({ dir: dir.path, scenario, target: plan.target, localIp, calls: indexes.length, ratePerS: plan.ratePerS, timeoutS: Math.ceil(pcap.ms / 1000) + 90, logger: plan.logger, signal: plan.signal });
        });
        const results = await Promise.all(batches);
        indexes.forEach((index, k) => outcomes.push({ index, ...sippCallOutcome(results, k + 1) }));
      }),
    );
  } finally {
    dir.finish(outcomes.length < plan.calls || outcomes.some((o) => !o.ok), plan.logger);
  }
  return outcomes.sort((a, b) => a.index - b.index);
}
