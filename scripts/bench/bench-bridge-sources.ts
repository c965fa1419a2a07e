/**
 * The bridge for `bench:bridge`: startBridge with only the source under test, on free ports and
 * the config defaults (jitter delay, media timeout, RTP range, agent rule), onto a given CallSink:
 * the real IngestCallSink toward an in-process assist-server, or the benchmark stand-in.
 */
import { startBridge } from '../../telephony-bridge/src/bridge.ts';
import type { BridgeConfig, BridgeSourceName } from '../../telephony-bridge/src/config.ts';
import type { CallSink } from '../../telephony-bridge/src/core/call-sink.ts';
import type { BridgeLogger } from '../../telephony-bridge/src/core/logger.ts';
import type { SimulateVia, SimulationTarget } from '../../telephony-bridge/src/simulate/simulation-types.ts';

const SOURCE_OF: Record<SimulateVia, BridgeSourceName> = { sip: 'sip', siprec: 'siprec', audiosocket: 'audiosocket', twilio: 'media-streams' };

export async function startBenchSource(via: SimulateVia, config: BridgeConfig, sink: CallSink, logger: BridgeLogger): Promise<{ target: SimulationTarget; close(): Promise<void> }> {
  const source = SOURCE_OF[via];
  const bridge = await startBridge(
    { ...config, sources: [source], siprecPort: 0, sipPort: 0, audioSocketPort: 0, mediaStreamPort: 0 },
    logger,
    { sink },
  );
  return { target: { host: config.host, port: bridge.ports[source]! }, close: () => bridge.close() };
}
