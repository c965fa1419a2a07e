/**
 * Test support: a real bridge (startBridge) in front of a running assist-server node, every source
 * on a free port (SIP over UDP only, RTP on a run of free port pairs), every call routed to one
 * agent. Tests reach its sources through simulate's bridgeTargets(bridge).
 */
import { startBridge, type RunningBridge } from '../bridge.ts';
import { loadBridgeConfig } from '../config.ts';
import type { BridgeLogger } from '../core/logger.ts';
import { findFreePortRange } from '../sources/rtp/test-ports.ts';

export interface TestBridgeOptions {
  /** The node's WebSocket base URL (TestStack.wsUrl). */
  serverUrl: string;
  /** The agent every call goes to (its extension and the default agent). */
  agentId: string;
  /** The bridge secret simulated calls must present. */
  secret: string;
  logger: BridgeLogger;
}

/** RTP port pairs reserved for the bridge's media. */
const RTP_PAIRS = 16;

export async function startTestBridge(options: TestBridgeOptions): Promise<RunningBridge> {
  const rtp = await findFreePortRange(RTP_PAIRS);
  const config = loadBridgeConfig({
    EARPIECE_BRIDGE_SERVER_URL: options.serverUrl,
    EARPIECE_SIPREC_PORT: '0',
    EARPIECE_SIP_PORT: '0',
    EARPIECE_SIP_TRANSPORTS: 'udp',
    EARPIECE_AUDIOSOCKET_PORT: '0',
    EARPIECE_MEDIA_STREAM_PORT: '0',
    EARPIECE_RTP_PORT_MIN: String(rtp),
    EARPIECE_RTP_PORT_MAX: String(rtp + 2 * RTP_PAIRS - 1),
    EARPIECE_AGENT_EXTENSIONS: options.agentId,
    EARPIECE_DEFAULT_AGENT_ID: options.agentId,
    EARPIECE_BRIDGE_SECRET: options.secret,
  });
  return startBridge(config, options.logger);
}
