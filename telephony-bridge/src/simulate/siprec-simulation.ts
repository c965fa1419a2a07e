/**
 * `--via siprec`: SIPp as a session recording client (an SBC): INVITE with `Require: siprec` and a
 * multipart/mixed body, SDP with two labelled sendonly PCMU m-lines (label 1 customer, label 2
 * agent) + RFC 7865 `application/rs-metadata+xml` naming the participants (customer
 * sip:+1555<n>@…, agent sip:<agent-id>@…) and which stream each sends; ACK; RTP; BYE.
 *
 * SIPp limit: play_pcap_audio (and rtp_stream) send to the FIRST audio m-line of the answer only
 * (SIPp 3.6 keeps one remote audio port per call; play_pcap_video goes to an m=video line, which
 * SIPREC does not offer). So only the customer stream (m-line 1) carries audio; the agent stream
 * is negotiated and stays silent. The bridge maps the legs by the metadata when the agent's
 * extension is in EARPIECE_AGENT_EXTENSIONS (then the call also carries --agent-id), else by
 * m-line order (customer first, the bridge's default fallback) with its default agent id.
 */
import { batchesByFile, SippWorkdir } from './sipp-workdir.ts';
import { localAddressFor, runSippBatch, sippCallOutcome } from './sipp-batch.ts';
import { ack, dialogHeaders, playAndHangUp } from './sipp-scenario-parts.ts';
import type { CallOutcome, SimulationPlan } from './simulation-types.ts';

export function siprecScenario(o: { pcap: string; playMs: number; agentId: string }): string {
  const dialog = dialogHeaders({ fromName: 'SRC', fromUser: 'src', tagInfix: 'SRC', toUser: 'srs' });
  const mline = (port: string, label: number) => `m=audio ${port} RTP/AVP 0 101
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
a=label:${label}
a=sendonly`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="Earpiece simulate: SIPREC recording session">
  <send retrans="500"><![CDATA[
INVITE sip:srs@[remote_ip]:[remote_port] SIP/2.0
${dialog.replace('[peer_tag_param]', '')}
CSeq: 1 INVITE
Contact: <sip:src@[local_ip]:[local_port]>;+sip.src
Require: siprec
Accept: application/sdp, application/rs-metadata+xml
Content-Type: multipart/mixed;boundary=earpieceSimBoundary
Content-Length: [len]

--earpieceSimBoundary
Content-Type: application/sdp

v=0
o=SRC 1 1 IN IP[media_ip_type] [media_ip]
s=SIPREC
c=IN IP[media_ip_type] [media_ip]
t=0 0
${mline('[media_port]', 1)}
${mline('[media_port+2]', 2)}
--earpieceSimBoundary
Content-Type: application/rs-metadata+xml
Content-Disposition: recording-session

${metadata(o.agentId)}
--earpieceSimBoundary--
]]></send>
  <recv response="100" optional="true"/>
  <recv response="200" rtd="true" timeout="20000"/>
${ack('srs', dialog)}
${playAndHangUp({ requestUser: 'srs', pcap: o.pcap, playMs: o.playMs, dialog })}
</scenario>
`;
}

function metadata(agentId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<recording xmlns="urn:ietf:params:xml:ns:recording:1">
  <datamode>complete</datamode>
  <session session_id="c2ltLXNlc3Npb24="><sipSessionID>sim-[call_id]</sipSessionID></session>
  <participant participant_id="Y3VzdG9tZXI="><nameID aor="sip:+1555[call_number]@simulate.invalid"><name>Simulated customer</name></nameID></participant>
  <participant participant_id="YWdlbnQ="><nameID aor="sip:${agentId}@simulate.invalid"><name>Simulated agent</name></nameID></participant>
  <stream stream_id="c3RyZWFtMQ==" session_id="c2ltLXNlc3Npb24="><label>1</label></stream>
  <stream stream_id="c3RyZWFtMg==" session_id="c2ltLXNlc3Npb24="><label>2</label></stream>
  <participantstreamassoc participant_id="Y3VzdG9tZXI="><send>c3RyZWFtMQ==</send><recv>c3RyZWFtMg==</recv></participantstreamassoc>
  <participantstreamassoc participant_id="YWdlbnQ="><send>c3RyZWFtMg==</send><recv>c3RyZWFtMQ==</recv></participantstreamassoc>
</recording>`;
}

export async function simulateSiprecCalls(plan: SimulationPlan): Promise<CallOutcome[]> {
  const dir = new SippWorkdir();
  const localIp = await localAddressFor(plan.target.host);
  const outcomes: CallOutcome[] = [];
  try {
    await Promise.all(
      batchesByFile(plan.calls, plan.audio.length).map(async ({ file, indexes }) => {
        const pcap = dir.pcap(`f${file}`, plan.audio[file]!, 'customer', 0x5ec00000 + file);
        const scenario = dir.file(`f${file}-siprec.xml`, siprecScenario({ pcap: pcap.name, playMs: pcap.ms, agentId: plan.agentId }));
        const result = await runSippBatch({ dir: dir.path, scenario, target: plan.target, localIp, calls: indexes.length, ratePerS: plan.ratePerS, timeoutS: Math.ceil(pcap.ms / 1000) + 90, logger: plan.logger, signal: plan.signal });
        indexes.forEach((index, k) => outcomes.push({ index, ...sippCallOutcome([result], k + 1) }));
      }),
    );
  } finally {
    dir.finish(outcomes.length < plan.calls || outcomes.some((o) => !o.ok), plan.logger);
  }
  return outcomes.sort((a, b) => a.index - b.index);
}
