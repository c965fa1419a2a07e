/**
 * The plain SIP endpoint: SIP over UDP/TCP for PBXs that fork each call to the bridge as ordinary
 * SIP calls (one leg per dialog, grouped into one call by a header or the Call-ID).
 */
import type { CallSink } from '../../core/call-sink.ts';
import type { RtpPortPool } from '../rtp/rtp-port-pool.ts';
import type { AgentRule } from '../siprec/leg-mapping.ts';
import { SipEndpointHandler } from './sip-endpoint-handler.ts';
import { advertisedAddressOf, startSipServer, type RunningSipServer, type SipServerOptions } from './sip-server.ts';

export interface SipEndpointOptions extends SipServerOptions {
  rtpPool: RtpPortPool;
  sink: CallSink;
  agentRule: AgentRule;
  /** Header grouping two dialogs into one call (default X-Earpiece-Call-Id); without it, the Call-ID. */
  groupHeader?: string;
  /** Header naming a dialog's leg, `agent` or `customer` (default X-Earpiece-Leg). */
  legHeader?: string;
  /** Header carrying the agent id (default X-Earpiece-Agent-Id). */
  agentIdHeader?: string;
  /** How long a dialog waits for its partner before it becomes a one-leg call; default 1500 ms. */
  groupingWindowMs?: number;
  jitterDelayMs?: number;
  mediaTimeoutMs?: number;
  anyRtpSource?: boolean;
}

export type SipEndpoint = RunningSipServer;

export function startSipEndpoint(o: SipEndpointOptions): Promise<SipEndpoint> {
  const handler = new SipEndpointHandler({
    pool: o.rtpPool,
    sink: o.sink,
    agentRule: o.agentRule,
    mediaAddress: advertisedAddressOf(o),
    ...(o.groupHeader ? { groupHeader: o.groupHeader } : {}),
    ...(o.legHeader ? { legHeader: o.legHeader } : {}),
    ...(o.agentIdHeader ? { agentIdHeader: o.agentIdHeader } : {}),
    ...(o.groupingWindowMs === undefined ? {} : { groupingWindowMs: o.groupingWindowMs }),
    ...(o.jitterDelayMs === undefined ? {} : { jitterDelayMs: o.jitterDelayMs }),
    ...(o.mediaTimeoutMs === undefined ? {} : { mediaTimeoutMs: o.mediaTimeoutMs }),
    ...(o.anyRtpSource ? { anyRtpSource: true } : {}),
    ...(o.logger ? { logger: o.logger } : {}),
  });
  return startSipServer(o, handler);
}
