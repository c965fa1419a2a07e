/**
 * WebSocket media-stream server: Twilio Media Streams and FreeSWITCH mod_audio_fork, one
 * dialect per path (default `/media/twilio`, `/media/audio-fork`), one call per socket.
 *
 * Auth (optional `secret`), checked in constant time, from the first of:
 *   1. `Authorization: Bearer <secret>` (or Basic with the secret as password: mod_audio_fork's
 *      MOD_AUDIO_BASIC_AUTH_USERNAME/PASSWORD channel variables send Basic);
 *   2. a `token` query parameter (`wss://bridge/media/audio-fork?token=…`);
 *   3. a token in the stream's first message (Twilio `<Parameter name="token">`, since Twilio's
 *      stream URL takes no query string or custom header; `token` in audio-fork metadata).
 * A wrong credential at the upgrade gets HTTP 401; none at all is allowed through the upgrade but
 * the first message must then carry it, before any audio is accepted (else close 1008).
 *
 * Limits: `maxPayload` per message (ws closes with 1009), `maxConnections` streams at once
 * (HTTP 503 past it), and the sink's call limit (close 1013 "try again later"). Junk closes only
 * its own socket: see CLOSE in media-events.ts.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { LegRole } from '@earpiece/assist-server/protocol';
import { WebSocketServer } from 'ws';
import type { CallSink } from '../../core/call-sink.ts';
import { BridgeError } from '../../core/errors.ts';
import { silentLogger, type BridgeLogger } from '../../core/logger.ts';
import { secretMatches } from '../../core/shared-secret.ts';
import { AudioForkDecoder } from './audio-fork.ts';
import type { MediaDecoder } from './media-events.ts';
import { MediaStreamSession } from './media-stream-session.ts';
import { TwilioDecoder } from './twilio.ts';

export type MediaDialect = 'twilio' | 'audio-fork';

export interface MediaStreamServerOptions {
  /** Default 0.0.0.0; tests use 127.0.0.1. */
  host?: string;
  /** Default 9093; 0 picks a free port. */
  port?: number;
  sink: CallSink;
  secret?: string | undefined;
  /** Streams at once; default 200. */
  maxConnections?: number;
  /** Largest WebSocket message; default 64 KiB (a Twilio media message is ~0.3 KiB, 20 ms stereo L16 at 16 kHz 1.3 KiB). */
  maxPayload?: number;
  /** Path → dialect; default { '/media/twilio': 'twilio', '/media/audio-fork': 'audio-fork' }. */
  paths?: Record<string, MediaDialect>;
  /** Agent for streams that name none. */
  defaultAgentId?: string;
  /** Twilio track → role; default inbound = customer, outbound = agent. */
  twilioTrackRoles?: { inbound: LegRole; outbound: LegRole };
  /** mod_audio_fork stereo channel 0/1 → role; default ['customer', 'agent']. */
  audioForkStereoRoles?: [LegRole, LegRole];
  /** mod_audio_fork mono/mixed stream role; default customer. */
  audioForkMonoRole?: LegRole;
  logger?: BridgeLogger;
}

export interface MediaStreamServerHandle {
  readonly port: number;
  readonly host: string;
  /** Open media sockets. */
  readonly streams: number;
  readonly stats: { accepted: number; refused: number };
  /** Stops listening, ends every call after what arrived was handed on, closes every socket (1001). */
  close(): Promise<void>;
}

export const MEDIA_SUBPROTOCOL_AUDIO_FORK = 'audio.drachtio.org';

export async function startMediaStreamServer(options: MediaStreamServerOptions): Promise<MediaStreamServerHandle> {
  const log = options.logger ?? silentLogger;
  const paths = options.paths ?? { '/media/twilio': 'twilio', '/media/audio-fork': 'audio-fork' };
  const maxConnections = options.maxConnections ?? 200;
  const sessions = new Set<MediaStreamSession>();
  const stats = { accepted: 0, refused: 0 };
  let nextId = 1;
  let closing: Promise<void> | undefined;

  const http: Server = createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' }).end('WebSocket media streams only: ' + Object.keys(paths).join(', '));
  });
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayload ?? 64 * 1024,
    handleProtocols: (offered) => (offered.has(MEDIA_SUBPROTOCOL_AUDIO_FORK) ? MEDIA_SUBPROTOCOL_AUDIO_FORK : ([...offered][0] ?? false)),
  });

  const refuse = (socket: Socket, status: number, text: string, code: string, req: IncomingMessage) => {
    stats.refused++;
    log.warn({ path: (req.url ?? '').split('?')[0], remote: req.socket.remoteAddress, status, code }, 'media stream upgrade refused');
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${code.length}\r\n\r\n${code}`);
    socket.on('error', () => {});
  };

  http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://bridge');
    const dialect = paths[url.pathname];
    if (!dialect) return refuse(socket, 404, 'Not Found', 'EARPIECE_BRIDGE_WS_UNKNOWN_PATH', req);
    if (closing || sessions.size >= maxConnections) return refuse(socket, 503, 'Service Unavailable', 'EARPIECE_BRIDGE_WS_TOO_MANY_STREAMS', req);
    const given = credentialOf(req, url);
    if (options.secret !== undefined && given !== undefined && !secretMatches(options.secret, given)) return refuse(socket, 401, 'Unauthorized', 'EARPIECE_BRIDGE_WS_AUTH', req);
    wss.handleUpgrade(req, socket, head, (ws) => {
      stats.accepted++;
      const decoder: MediaDecoder =
        dialect === 'twilio'
          ? new TwilioDecoder({ trackRoles: options.twilioTrackRoles })
          : new AudioForkDecoder({ stereoRoles: options.audioForkStereoRoles, monoRole: options.audioForkMonoRole });
      const session = new MediaStreamSession(nextId++, ws, decoder, {
        sink: options.sink,
        secret: options.secret,
        authenticated: options.secret === undefined || given !== undefined,
        defaultAgentId: options.defaultAgentId,
        logger: log,
      });
      sessions.add(session);
      void session.done.then(() => sessions.delete(session));
      log.debug({ stream: session.id, dialect, remote: req.socket.remoteAddress }, 'media stream connected');
    });
  });
  http.on('clientError', (_err, socket) => socket.destroy());

  const wantHost = options.host ?? '0.0.0.0';
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) =>
      reject(new BridgeError('EARPIECE_BRIDGE_WS_LISTEN', `cannot listen for media streams on ${wantHost}:${options.port ?? 9093}: ${err.code ?? err.message}. Pick a free port.`, { cause: err }));
    http.once('error', onError);
    http.listen(options.port ?? 9093, wantHost, () => {
      http.off('error', onError);
      resolve();
    });
  });
  const address = http.address() as AddressInfo;
  log.info({ host: address.address, port: address.port, paths: Object.keys(paths), auth: options.secret !== undefined }, 'media stream server listening');

  return {
    port: address.port,
    host: address.address,
    get streams() {
      return sessions.size;
    },
    get stats() {
      return { ...stats };
    },
    close(): Promise<void> {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
        for (const s of sessions) s.shutdown();
        await Promise.allSettled([...sessions].map((s) => s.done));
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        http.closeAllConnections();
        await stopped;
      })();
      return closing;
    },
  };
}

/** Bearer token, Basic password, or `token` query parameter; undefined when none is given. */
function credentialOf(req: IncomingMessage, url: URL): string | undefined {
  const auth = req.headers.authorization;
  if (auth) {
    const [scheme, value = ''] = auth.split(/\s+/, 2);
    if (scheme?.toLowerCase() === 'bearer') return value;
    if (scheme?.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      return decoded.slice(decoded.indexOf(':') + 1);
    }
    return auth;
  }
  return url.searchParams.get('token') ?? undefined;
}
