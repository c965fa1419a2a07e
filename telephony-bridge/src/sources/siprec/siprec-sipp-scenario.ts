/**
 * Test support: a SIPp scenario (XML) for a SIPREC recording session: INVITE with Require:
 * siprec and a multipart body (SDP with two labelled sendonly PCMU m-lines + rs-metadata XML),
 * RTP from `firstPcap` to the first m-line, a hold re-INVITE (a=inactive), an unhold re-INVITE
 * (a=sendonly), RTP from `lastPcap`, then BYE as soon as that pcap has been played.
 */
import { siprecMetadata } from './siprec-fixtures.ts';

export interface SiprecScenarioOptions {
  firstPcap: string;
  firstMs: number;
  lastPcap: string;
  lastMs: number;
  /** Label of the customer's stream in the metadata (the first m-line carries the pcaps). */
  customerLabel: '1' | '2';
}

const sdp = (dir: string) => `v=0
o=SRC 1 [cseq] IN IP[local_ip_type] [local_ip]
s=SIPREC
c=IN IP[local_ip_type] [local_ip]
t=0 0
m=audio [media_port] RTP/AVP 0 101
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
a=label:1
a=${dir}
m=audio 40002 RTP/AVP 0 101
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
a=label:2
a=${dir}`;

const common = `Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: "SRC" <sip:src@[local_ip]:[local_port]>;tag=[pid]SRC[call_number]
Call-ID: [call_id]
Contact: <sip:src@[local_ip]:[local_port]>;+sip.src
Max-Forwards: 70`;

function reinvite(cseq: number, dir: string): string {
  return `
  <send retrans="500"><![CDATA[
INVITE sip:srs@[remote_ip]:[remote_port] SIP/2.0
${common}
To: <sip:srs@[remote_ip]:[remote_port]>[peer_tag_param]
CSeq: ${cseq} INVITE
Content-Type: application/sdp
Content-Length: [len]

${sdp(dir)}
]]></send>
  <recv response="100" optional="true"/>
  <recv response="200"/>
  <send><![CDATA[
ACK sip:srs@[remote_ip]:[remote_port] SIP/2.0
${common}
To: <sip:srs@[remote_ip]:[remote_port]>[peer_tag_param]
CSeq: ${cseq} ACK
Content-Length: 0
]]></send>`;
}

export function siprecScenario(o: SiprecScenarioOptions): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="SIPREC recording session">
  <send retrans="500"><![CDATA[
INVITE sip:srs@[remote_ip]:[remote_port] SIP/2.0
${common}
To: <sip:srs@[remote_ip]:[remote_port]>
CSeq: 1 INVITE
Require: siprec
Supported: timer
Accept: application/sdp, application/rs-metadata+xml
Content-Type: multipart/mixed;boundary=srcBoundary42
Content-Length: [len]

--srcBoundary42
Content-Type: application/sdp

${sdp('sendonly')}
--srcBoundary42
Content-Type: application/rs-metadata+xml
Content-Disposition: recording-session

${siprecMetadata({ customerLabel: o.customerLabel, prefix: true }).trim()}
--srcBoundary42--
]]></send>
  <recv response="100" optional="true"/>
  <recv response="200" rtd="true"/>
  <send><![CDATA[
ACK sip:srs@[remote_ip]:[remote_port] SIP/2.0
${common}
To: <sip:srs@[remote_ip]:[remote_port]>[peer_tag_param]
CSeq: 1 ACK
Content-Length: 0
]]></send>
  <nop><action><exec play_pcap_audio="${o.firstPcap}"/></action></nop>
  <pause milliseconds="${o.firstMs + 300}"/>
${reinvite(2, 'inactive')}
  <pause milliseconds="500"/>
${reinvite(3, 'sendonly')}
  <nop><action><exec play_pcap_audio="${o.lastPcap}"/></action></nop>
  <pause milliseconds="${o.lastMs}"/>
  <send retrans="500"><![CDATA[
BYE sip:srs@[remote_ip]:[remote_port] SIP/2.0
${common}
To: <sip:srs@[remote_ip]:[remote_port]>[peer_tag_param]
CSeq: 4 BYE
Content-Length: 0
]]></send>
  <recv response="200"/>
</scenario>
`;
}
