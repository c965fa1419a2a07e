/**
 * A SIP server = transport (UDP/TCP listeners, allow-list, size limit) + user agent server
 * (dialogs, timers, auth) + a SessionHandler. Shared by the SIPREC server and the plain endpoint.
 */
import { silentLogger, type BridgeLogger } from '../../core/logger.ts';
import { DigestAuth, type DigestAlgorithm } from './digest-auth.ts';
import { SipTransport, type SipTransportName } from './sip-transport.ts';
import { UserAgentServer } from './user-agent-server.ts';
import type { SessionHandler } from './session-handler.ts';
import type { SipTimers } from './sip-client.ts';

export interface SipServerOptions {
  /** Address to listen on. */
  host: string;
  /** SIP port (UDP and TCP); 0 = a free port. Default 5060. */
  port?: number;
  transports?: SipTransportName[];
  /** Source addresses/networks allowed to send SIP (CIDR); empty = everyone. */
  allowList?: readonly string[];
  /** What a denied UDP source gets: nothing (default) or 403. */
  deniedResponse?: 'drop' | '403';
  /** Largest SIP message, bytes; default 65535. */
  maxMessageBytes?: number;
  /** Digest auth for INVITEs (off when absent). */
  digest?: { realm: string; users: Readonly<Record<string, string>>; algorithms?: DigestAlgorithm[] } | undefined;
  /** Session-Expires we ask for when the peer supports timers but sets none (RFC 4028); off when absent. */
  sessionTimerS?: number | undefined;
  /** Min-SE, seconds (>= 90). */
  minSessionExpiresS?: number;
  /** Address peers reach us on (Via, Contact, SDP c=); default `host`, or 127.0.0.1 when host is a wildcard. */
  advertisedAddress?: string;
  timers?: SipTimers;
  /** Test scale for session timers (ms per second). */
  msPerSecond?: number;
  logger?: BridgeLogger;
}

export interface RunningSipServer {
  ports: { udp?: number; tcp?: number };
  readonly activeDialogs: number;
  close(): Promise<void>;
}

export function advertisedAddressOf(o: Pick<SipServerOptions, 'host' | 'advertisedAddress'>): string {
  if (o.advertisedAddress) return o.advertisedAddress;
  return o.host === '0.0.0.0' || o.host === '::' ? '127.0.0.1' : o.host;
}

export async function startSipServer(o: SipServerOptions, handler: SessionHandler): Promise<RunningSipServer> {
  const logger = o.logger ?? silentLogger;
  const transport = await SipTransport.start({
    host: o.host,
    port: o.port ?? 5060,
    ...(o.transports ? { transports: o.transports } : {}),
    ...(o.allowList ? { allowList: o.allowList } : {}),
    ...(o.deniedResponse ? { deniedResponse: o.deniedResponse } : {}),
    ...(o.maxMessageBytes ? { maxMessageBytes: o.maxMessageBytes } : {}),
    logger,
  });
  const uas = new UserAgentServer({
    transport,
    handler,
    advertisedAddress: advertisedAddressOf(o),
    digest: o.digest ? new DigestAuth(o.digest) : undefined,
    sessionTimer: { ...(o.minSessionExpiresS ? { minSeS: o.minSessionExpiresS } : {}), ...(o.sessionTimerS ? { preferredS: o.sessionTimerS } : {}) },
    ...(o.timers ? { timers: o.timers } : {}),
    ...(o.msPerSecond ? { msPerSecond: o.msPerSecond } : {}),
    logger,
  });
  logger.info({ ports: transport.ports, host: o.host }, 'SIP server listening');
  return {
    ports: { ...transport.ports },
    get activeDialogs() {
      return uas.dialogCount;
    },
    async close() {
      await uas.close();
      await transport.close();
    },
  };
}
