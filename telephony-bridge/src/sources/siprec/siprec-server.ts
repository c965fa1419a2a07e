/**
 * The SIPREC recording server (SRS, RFC 7866): SIP over UDP/TCP on one port, each recording
 * session one BridgeCall with an agent and a customer leg.
 */
import type { CallSink } from '../../core/call-sink.ts';
import type { RtpPortPool } from '../rtp/rtp-port-pool.ts';
import { advertisedAddressOf, startSipServer, type RunningSipServer, type SipServerOptions } from '../sip/sip-server.ts';
import type { AgentRule } from './leg-mapping.ts';
import { SiprecSessionHandler } from './siprec-session-handler.ts';

export interface SiprecServerOptions extends SipServerOptions {
  rtpPool: RtpPortPool;
  sink: CallSink;
  agentRule: AgentRule;
  jitterDelayMs?: number;
  mediaTimeoutMs?: number;
  /** Accept RTP from any source address (default: only the SIP peer and the SDP c= address). */
  anyRtpSource?: boolean;
}

export type SiprecServer = RunningSipServer;

export function startSiprecServer(o: SiprecServerOptions): Promise<SiprecServer> {
  const handler = new SiprecSessionHandler({
    pool: o.rtpPool,
    sink: o.sink,
    agentRule: o.agentRule,
    mediaAddress: advertisedAddressOf(o),
    ...(o.jitterDelayMs === undefined ? {} : { jitterDelayMs: o.jitterDelayMs }),
    ...(o.mediaTimeoutMs === undefined ? {} : { mediaTimeoutMs: o.mediaTimeoutMs }),
    ...(o.anyRtpSource ? { anyRtpSource: true } : {}),
    ...(o.logger ? { logger: o.logger } : {}),
  });
  return startSipServer(o, handler);
}
