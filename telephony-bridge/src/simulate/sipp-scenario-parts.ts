/**
 * Pieces of the SIPp scenarios `simulate` generates: the in-dialog headers, the ACK, and the
 * play-then-BYE tail. SIPp fills the [bracketed] keywords per call.
 */
import { SIPP_DONE_LOG } from './sipp-batch.ts';

/** Via/From/To/Call-ID/Max-Forwards of one dialog; `[peer_tag_param]` stays for in-dialog requests. */
export function dialogHeaders(o: { fromName: string; fromUser: string; tagInfix: string; toUser: string }): string {
  return `Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: "${o.fromName}" <sip:${o.fromUser}@[local_ip]:[local_port]>;tag=[pid]${o.tagInfix}[call_number]
To: <sip:${o.toUser}@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
Max-Forwards: 70`;
}

/** The ACK for the INVITE's 200. */
export function ack(requestUser: string, dialog: string): string {
  return `  <send><![CDATA[
ACK sip:${requestUser}@[remote_ip]:[remote_port] SIP/2.0
${dialog}
CSeq: 1 ACK
Content-Length: 0
]]></send>`;
}

/** Plays the pcap, waits for it to end, sends BYE, logs the call as held. */
export function playAndHangUp(o: { requestUser: string; pcap: string; playMs: number; dialog: string; byeCseq?: number }): string {
  return `  <nop><action><exec play_pcap_audio="${o.pcap}"/></action></nop>
  <pause milliseconds="${o.playMs + 200}"/>
  <send retrans="500"><![CDATA[
BYE sip:${o.requestUser}@[remote_ip]:[remote_port] SIP/2.0
${o.dialog}
CSeq: ${o.byeCseq ?? 2} BYE
Content-Length: 0
]]></send>
  <recv response="200" timeout="20000"/>
  <nop><action><log message="${SIPP_DONE_LOG} [call_number]"/></action></nop>`;
}
