/**
 * Starts the telephony bridge daemon: the configured sources (SIPREC server, plain SIP endpoint,
 * AudioSocket server, WebSocket media streams), all feeding one IngestCallSink toward
 * assist-server. `close()` stops the sources (ending their calls) and waits for them.
 */
import type { BridgeConfig, BridgeSourceName } from './config.ts';
import type { CallSink } from './core/call-sink.ts';
import type { BridgeLogger } from './core/logger.ts';
import { IngestCallSink } from './forwarder/ingest-call-sink.ts';
import { startAudioSocketServer } from './sources/audiosocket/index.ts';
import { RtpPortPool } from './sources/rtp/rtp-port-pool.ts';
import { startSipEndpoint } from './sources/sip/index.ts';
import { startSiprecServer, type AgentRule } from './sources/siprec/index.ts';
import { startMediaStreamServer } from './sources/ws-media/index.ts';

export interface RunningBridge {
  sink: CallSink;
  /** What listens where, for logs and the start banner. */
  listening: Array<{ source: string; detail: string }>;
  /** Each running source's port (UDP for SIP); useful when the config asked for port 0. */
  ports: Partial<Record<BridgeSourceName, number>>;
  close(): Promise<void>;
}

export interface StartBridgeOptions {
  /** Where calls go; default an IngestCallSink toward config.serverUrl. (Benchmarks pass their own.) */
  sink?: CallSink;
}

export async function startBridge(config: BridgeConfig, logger: BridgeLogger, options: StartBridgeOptions = {}): Promise<RunningBridge> {
  const sink = options.sink ?? new IngestCallSink({ serverUrl: config.serverUrl, maxCalls: config.maxCalls, logger });
  const ports: RunningBridge['ports'] = {};
  // Two connections per call at most (AudioSocket legs), plus room for refusals to be answered.
  const maxConnections = 2 * config.maxCalls + 16;
  const closers: Array<() => Promise<void>> = [];
  const listening: RunningBridge['listening'] = [];
  const agentRule: AgentRule = {
    agentExtensions: config.agentExtensions,
    ...(config.agentAorPattern ? { agentAorPattern: new RegExp(config.agentAorPattern, 'i') } : {}),
    defaultAgentId: config.defaultAgentId,
  };
  const sip = {
    host: config.host,
    transports: config.sipTransports,
    allowList: config.sipAllow,
    digest: config.sipDigest,
    sessionTimerS: config.sipSessionTimerS,
    ...(config.sipAdvertisedAddress ? { advertisedAddress: config.sipAdvertisedAddress } : {}),
    logger,
  };
  const media = { jitterDelayMs: config.rtpJitterMs, mediaTimeoutMs: config.rtpMediaTimeoutMs };
  try {
    const wantsSip = config.sources.includes('siprec') || config.sources.includes('sip');
    const rtpPool = wantsSip ? new RtpPortPool({ host: config.host, minPort: config.rtpPortMin, maxPort: config.rtpPortMax }) : undefined;
    if (config.sources.includes('siprec')) {
      const server = await startSiprecServer({ ...sip, ...media, port: config.siprecPort, rtpPool: rtpPool!, sink, agentRule });
      closers.push(() => server.close());
      ports.siprec = server.ports.udp ?? server.ports.tcp;
      listening.push({ source: 'siprec', detail: `sip:${config.host} ${describePorts(server.ports)}` });
    }
    if (config.sources.includes('sip')) {
      const endpoint = await startSipEndpoint({ ...sip, ...media, port: config.sipPort, rtpPool: rtpPool!, sink, agentRule });
      closers.push(() => endpoint.close());
      ports.sip = endpoint.ports.udp ?? endpoint.ports.tcp;
      listening.push({ source: 'sip', detail: `sip:${config.host} ${describePorts(endpoint.ports)}` });
    }
    if (config.sources.includes('audiosocket')) {
      const server = await startAudioSocketServer({ host: config.host, port: config.audioSocketPort, sink, secret: config.secret, defaultAgentId: config.defaultAgentId, maxConnections, logger });
      closers.push(() => server.close());
      ports.audiosocket = server.port;
      listening.push({ source: 'audiosocket', detail: `tcp://${config.host}:${server.port}` });
    }
    if (config.sources.includes('media-streams')) {
      const server = await startMediaStreamServer({ host: config.host, port: config.mediaStreamPort, sink, secret: config.secret, defaultAgentId: config.defaultAgentId, maxConnections, logger });
      closers.push(() => server.close());
      ports['media-streams'] = server.port;
      listening.push({ source: 'media-streams', detail: `ws://${config.host}:${server.port}/media/twilio, /media/audio-fork` });
    }
  } catch (err) {
    await closeAll(closers, logger);
    throw err;
  }
  for (const l of listening) logger.info({ source: l.source, at: l.detail }, 'bridge source listening');
  return { sink, listening, ports, close: () => closeAll(closers, logger) };
}

function describePorts(ports: { udp?: number; tcp?: number }): string {
  return Object.entries(ports)
    .map(([transport, port]) => `${transport}/${port}`)
    .join(' ');
}

async function closeAll(closers: Array<() => Promise<void>>, logger: BridgeLogger): Promise<void> {
  for (const close of closers.splice(0).reverse()) {
    try {
      await close();
    } catch (err) {
      logger.error({ err: (err as Error).message }, 'a bridge source did not close cleanly');
    }
  }
}
