/**
 * Asterisk AudioSocket server: Asterisk connects to us (dialplan `AudioSocket(uuid,host:port)`
 * or `Dial(AudioSocket/host:port/uuid/c(slin))`), one TCP connection per channel. Connections
 * are paired into calls by a configurable rule (pairing.ts) and streamed to a CallSink.
 *
 * Auth (optional `secret`): the connection must send a 0x02 auth frame carrying the secret
 * (UTF-8) before any audio or DTMF, and it must have sent UUID and secret within
 * `identifyTimeoutMs`. A wrong or missing secret gets an error frame (0x11,
 * EARPIECE_BRIDGE_AUDIOSOCKET_AUTH) and a close. Stock Asterisk cannot send a 0x02 frame: for it,
 * use `mapping` pairing with a secret-protected registration API (an unregistered UUID is
 * refused), and a firewall.
 *
 * Limits: `maxPayloadBytes` per frame, `maxConnections` at once (one more gets an error frame
 * 0x13 and a close), and the sink's call limit (a call it refuses gets error frames on every leg).
 * Error frames we send: byte 0 = AUDIOSOCKET_REFUSAL code, then the EARPIECE_* code in ASCII.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { CallSink } from '../../core/call-sink.ts';
import { BridgeError } from '../../core/errors.ts';
import { silentLogger, type BridgeLogger } from '../../core/logger.ts';
import { AUDIOSOCKET_REFUSAL, AudioSocketLeg } from './audiosocket-leg.ts';
import { CallGroups } from './call-groups.ts';
import { DEFAULT_MAX_PAYLOAD_BYTES, encodeError } from './framing.ts';
import { AudioSocketMappings, identifyLeg, type AudioSocketMapping, type AudioSocketPairing } from './pairing.ts';

export interface AudioSocketServerOptions {
  /** Default 0.0.0.0 (Asterisk is another host); tests use 127.0.0.1. */
  host?: string;
  /** Default 9092; 0 picks a free port. */
  port?: number;
  sink: CallSink;
  /** When set, every connection must send it in a 0x02 auth frame before audio. */
  secret?: string | undefined;
  /** Concurrent TCP connections (two per call); default 200. */
  maxConnections?: number;
  /** Largest frame payload accepted; default 32 KiB, at most 65535. */
  maxPayloadBytes?: number;
  /** Default `{ mode: 'uuid-prefix', prefixBytes: 12, legFrom: 'last-byte', customerValue: 0, agentValue: 1 }`. */
  pairing?: AudioSocketPairing;
  /** UUID registrations (created when not given; also on the returned handle). */
  mappings?: AudioSocketMappings;
  /** Called for a UUID with no registration (e.g. an ARI or database lookup). */
  resolve?: (uuid: string) => Promise<AudioSocketMapping | undefined> | AudioSocketMapping | undefined;
  /** Agent for prefix-paired calls with no mapping. */
  defaultAgentId?: string;
  /** How long the first leg of a call waits for its partner; default 2000 ms. */
  groupingWindowMs?: number;
  /** Time from connect to UUID (and secret); default 5000 ms. */
  identifyTimeoutMs?: number;
  /** Rate declared for a leg that has sent no audio when its call opens; default 8000. */
  defaultSampleRateHz?: number;
  /** Audio kind → rate; default AUDIOSOCKET_KIND_RATES (see framing.ts for the version caveat). */
  kindRates?: ReadonlyMap<number, number>;
  /** Bytes a leg holds before its call opens; past it the socket is paused. Default 512 KiB. */
  maxPendingBytes?: number;
  logger?: BridgeLogger;
}

export interface AudioSocketServerHandle {
  readonly port: number;
  readonly host: string;
  readonly mappings: AudioSocketMappings;
  /** Open TCP connections. */
  readonly connections: number;
  /** Calls gathering, opening or live. */
  readonly calls: number;
  /** Connections not being read right now (their call has no capacity, or not open yet). */
  readonly pausedConnections: number;
  readonly stats: { accepted: number; refusedConnections: number; callsOpened: number; callsRefused: number };
  /** Stops listening, ends every leg and waits for every call to be handed on and ended. */
  close(): Promise<void>;
}

export async function startAudioSocketServer(options: AudioSocketServerOptions): Promise<AudioSocketServerHandle> {
  const log = options.logger ?? silentLogger;
  const mappings = options.mappings ?? new AudioSocketMappings();
  const pairing: AudioSocketPairing = options.pairing ?? { mode: 'uuid-prefix' };
  const maxConnections = options.maxConnections ?? 200;
  const identifyTimeoutMs = options.identifyTimeoutMs ?? 5000;
  const groups = new CallGroups({
    sink: options.sink,
    groupingWindowMs: options.groupingWindowMs ?? 2000,
    defaultSampleRateHz: options.defaultSampleRateHz ?? 8000,
    defaultAgentId: options.defaultAgentId,
    logger: log,
  });
  const legs = new Set<AudioSocketLeg>();
  const sockets = new Set<Socket>();
  const identifyTimers = new Map<AudioSocketLeg, NodeJS.Timeout>();
  const stats = { accepted: 0, refusedConnections: 0 };
  let nextId = 1;
  let closing: Promise<void> | undefined;

  const host = {
    identified(leg: AudioSocketLeg): void {
      clearTimeout(identifyTimers.get(leg));
      identifyTimers.delete(leg);
      identifyLeg(leg.uuid!, leg.uuidBytes!, { pairing, mappings, resolve: options.resolve }).then(
        (identity) => {
          leg.identity = identity;
          log.debug({ conn: leg.id, uuid: leg.uuid, callId: identity.callId, role: identity.role }, 'AudioSocket leg identified');
          if (closing) return leg.refuse(new BridgeError('EARPIECE_BRIDGE_SHUTTING_DOWN', 'the bridge is shutting down'), AUDIOSOCKET_REFUSAL.unavailable);
          groups.add(leg, identity);
        },
        (err: BridgeError) => leg.refuse(err, AUDIOSOCKET_REFUSAL.pairing),
      );
    },
    ready(leg: AudioSocketLeg): void {
      if (leg.identity) groups.legReady(leg);
    },
    ended(leg: AudioSocketLeg): void {
      legs.delete(leg);
      clearTimeout(identifyTimers.get(leg));
      identifyTimers.delete(leg);
      if (leg.identity) groups.legEnded(leg);
    },
  };

  const server: Server = createServer((socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    if (closing || legs.size >= maxConnections) {
      stats.refusedConnections++;
      log.warn({ remote: socket.remoteAddress, connections: legs.size, maxConnections }, 'AudioSocket connection refused: at the connection limit');
      socket.on('error', () => {});
      socket.end(encodeError(AUDIOSOCKET_REFUSAL.capacity, 'EARPIECE_BRIDGE_AUDIOSOCKET_TOO_MANY_CONNECTIONS'));
      setTimeout(() => socket.destroy(), 2000).unref();
      return;
    }
    stats.accepted++;
    const leg = new AudioSocketLeg(nextId++, socket, host, {
      secret: options.secret,
      maxPayloadBytes: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
      kindRates: options.kindRates,
      maxPendingBytes: options.maxPendingBytes ?? 512 * 1024,
      logger: log,
    });
    legs.add(leg);
    identifyTimers.set(
      leg,
      setTimeout(() => {
        identifyTimers.delete(leg);
        const what = leg.uuid ? 'the shared secret (0x02 auth frame)' : 'a UUID frame';
        leg.refuse(new BridgeError(leg.uuid ? 'EARPIECE_BRIDGE_AUDIOSOCKET_AUTH' : 'EARPIECE_BRIDGE_AUDIOSOCKET_NO_UUID', `no ${what} within ${identifyTimeoutMs} ms`), leg.uuid ? AUDIOSOCKET_REFUSAL.auth : AUDIOSOCKET_REFUSAL.protocol);
      }, identifyTimeoutMs),
    );
    log.debug({ conn: leg.id, remote: socket.remoteAddress }, 'AudioSocket connection');
  });
  server.on('error', (err) => log.error({ code: (err as NodeJS.ErrnoException).code }, 'AudioSocket server error'));

  const wantHost = options.host ?? '0.0.0.0';
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) =>
      reject(new BridgeError('EARPIECE_BRIDGE_AUDIOSOCKET_LISTEN', `cannot listen for AudioSocket on ${wantHost}:${options.port ?? 9092}: ${err.code ?? err.message}. Pick a free port.`, { cause: err }));
    server.once('error', onError);
    server.listen(options.port ?? 9092, wantHost, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  log.info({ host: address.address, port: address.port, pairing: pairing.mode, auth: options.secret !== undefined }, 'AudioSocket server listening');

  return {
    port: address.port,
    host: address.address,
    mappings,
    get connections() {
      return legs.size;
    },
    get calls() {
      return groups.size;
    },
    get pausedConnections() {
      return [...legs].filter((l) => l.paused).length;
    },
    get stats() {
      return { ...stats, callsOpened: groups.opened, callsRefused: groups.refused };
    },
    close(): Promise<void> {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const t of identifyTimers.values()) clearTimeout(t);
        identifyTimers.clear();
        await groups.closeAll();
        for (const leg of [...legs]) leg.shutdown();
        await groups.closeAll();
        for (const socket of sockets) socket.destroy();
        await stopped;
      })();
      return closing;
    },
  };
}
