/**
 * SIP over UDP and TCP: listeners, per-message size limit, source allow-list, and response
 * routing (RFC 3261 §18.2: UDP responses go to the Via `received`/`rport` address, RFC 3581; TCP
 * responses go back on the connection the request came in on).
 *
 * A malformed request that still names its Via/From/To/Call-ID/CSeq is answered 400 (513 when
 * too large); anything less is dropped and logged. A denied source is dropped (or answered 403
 * when `deniedResponse` is '403'); a denied TCP connection is closed at once.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIPv6, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { SafeEmitter } from '../../core/safe-emitter.ts';
import { BridgeError } from '../../core/errors.ts';
import { silentLogger, type BridgeLogger } from '../../core/logger.ts';
import { getHeader, parseSipMessage, serializeSipMessage, SipParseError, type SipMessage, type SipRequest, type SipResponse } from './sip-message.ts';
import { SipFramingError, SipStreamFramer } from './sip-stream-framer.ts';
import { SourceAllowList } from './source-allow-list.ts';
import { parseVia } from './sip-header-values.ts';
import { buildResponse } from './sip-response.ts';

export type SipTransportName = 'udp' | 'tcp';

export interface SipPeer {
  transport: SipTransportName;
  address: string;
  port: number;
  /** TCP: the connection the message came in on. */
  connection?: Socket;
}

export interface SipTransportOptions {
  host: string;
  /** 0 picks a free port (the same one for UDP and TCP when both are asked for, where possible). */
  port: number;
  transports?: SipTransportName[];
  maxMessageBytes?: number;
  allowList?: readonly string[];
  deniedResponse?: 'drop' | '403';
  logger?: BridgeLogger;
}

type Events = { request: [SipRequest, SipPeer]; response: [SipResponse, SipPeer] };

export class SipTransport extends SafeEmitter<Events> {
  readonly ports: Partial<Record<SipTransportName, number>> = {};
  #udp: UdpSocket | undefined;
  #tcp: Server | undefined;
  #connections = new Set<Socket>();
  #allow: SourceAllowList;
  #denied = new Map<string, number>();
  #log: BridgeLogger;
  #maxBytes: number;

  private constructor(private readonly options: SipTransportOptions) {
    super(options.logger);
    this.#log = options.logger ?? silentLogger;
    this.#allow = new SourceAllowList(options.allowList ?? []);
    this.#maxBytes = options.maxMessageBytes ?? 65535;
  }

  static async start(options: SipTransportOptions): Promise<SipTransport> {
    const wanted = options.transports ?? ['udp', 'tcp'];
    // With port 0 the UDP port is free for UDP but may be taken for TCP: try a few.
    for (let attempt = 1; ; attempt++) {
      const t = new SipTransport(options);
      try {
        let port = options.port;
        if (wanted.includes('udp')) port = await t.#listenUdp(port);
        if (wanted.includes('tcp')) await t.#listenTcp(port);
        return t;
      } catch (err) {
        await t.close();
        if (options.port !== 0 || attempt >= 10) {
          throw new BridgeError('EARPIECE_SIP_LISTEN_FAILED', `cannot listen for SIP on ${options.host}:${options.port} (${(err as Error).message}); pick a free port or address`, { cause: err });
        }
      }
    }
  }

  get host(): string {
    return this.options.host;
  }

  async #listenUdp(port: number): Promise<number> {
    const udp = createSocket(isIPv6(this.options.host) ? 'udp6' : 'udp4');
    udp.on('message', (data, rinfo) => this.#onDatagram(data, { transport: 'udp', address: rinfo.address, port: rinfo.port }));
    udp.bind(port, this.options.host);
    this.#udp = udp;
    await once(udp, 'listening');
    udp.on('error', (err) => this.#log.error({ err: err.message }, 'SIP UDP socket error'));
    return (this.ports.udp = udp.address().port);
  }

  async #listenTcp(port: number): Promise<void> {
    const server = createServer((socket) => this.#onConnection(socket));
    server.listen(port, this.options.host);
    await once(server, 'listening');
    server.on('error', (err) => this.#log.error({ err: err.message }, 'SIP TCP server error'));
    this.#tcp = server;
    const address = server.address();
    this.ports.tcp = typeof address === 'object' && address ? address.port : port;
  }

  #isAllowed(peer: SipPeer): boolean {
    if (this.#allow.allows(peer.address)) return true;
    const count = (this.#denied.get(peer.address) ?? 0) + 1;
    this.#denied.set(peer.address, count);
    if (count === 1 || count % 100 === 0) this.#log.warn({ address: peer.address, transport: peer.transport, count }, 'SIP from a source outside the allow-list refused');
    return false;
  }

  #onDatagram(data: Buffer, peer: SipPeer): void {
    if (!this.#isAllowed(peer)) {
      if (this.options.deniedResponse === '403') this.#answerDenied(data, peer);
      return;
    }
    this.#handle(data, peer, true);
  }

  #answerDenied(data: Buffer, peer: SipPeer): void {
    try {
      const msg = parseSipMessage(data, { maxBytes: this.#maxBytes });
      if (msg?.kind === 'request' && msg.method !== 'ACK') this.sendResponse(msg, buildResponse(msg, 403), peer);
    } catch {
      // Not even a request: nothing to answer.
    }
  }

  #onConnection(socket: Socket): void {
    const peer: SipPeer = { transport: 'tcp', address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0, connection: socket };
    if (!this.#isAllowed(peer)) {
      socket.destroy();
      return;
    }
    this.#connections.add(socket);
    const framer = new SipStreamFramer(this.#maxBytes);
    socket.on('data', (chunk: Buffer) => {
      let messages: Buffer[];
      try {
        messages = framer.push(chunk);
      } catch (err) {
        const e = err as SipFramingError;
        this.#log.warn({ address: peer.address, code: e.code }, 'SIP TCP stream cannot be framed: closing the connection');
        if (e.head) this.#handle(Buffer.concat([e.head, Buffer.from('\r\n\r\n')]), peer, false, e.code === 'EARPIECE_SIP_TOO_LARGE' ? 513 : 400);
        socket.end();
        return;
      }
      for (const m of messages) this.#handle(m, peer, false);
    });
    socket.on('error', (err) => this.#log.debug({ address: peer.address, err: err.message }, 'SIP TCP connection error'));
    socket.on('close', () => this.#connections.delete(socket));
  }

  /** Parses and emits one message; `forceStatus` answers it with that error instead (framing failures). */
  #handle(data: Buffer, peer: SipPeer, datagram: boolean, forceStatus?: number): void {
    let message: SipMessage | undefined;
    try {
      message = parseSipMessage(data, { maxBytes: forceStatus ? Infinity : this.#maxBytes, datagram });
    } catch (err) {
      if (!(err instanceof SipParseError)) throw err;
      this.#rejectMalformed(err, peer, forceStatus ?? (err.code === 'EARPIECE_SIP_TOO_LARGE' ? 513 : 400));
      return;
    }
    if (!message) return;
    if (forceStatus && message.kind === 'request') {
      this.#rejectMalformed(new SipParseError('EARPIECE_SIP_TOO_LARGE', 'message over the size limit', message), peer, forceStatus);
      return;
    }
    if (message.kind === 'response') {
      this.emit('response', message, peer);
      return;
    }
    if (peer.transport === 'udp') stampVia(message, peer);
    this.emit('request', message, peer);
  }

  #rejectMalformed(err: SipParseError, peer: SipPeer, status: number): void {
    const req = err.request;
    const answerable = req && req.method !== 'ACK' && ['via', 'from', 'to', 'call-id', 'cseq'].every((n) => getHeader(req, n) !== undefined);
    this.#log.warn({ address: peer.address, code: err.code, answered: answerable ? status : 'dropped' }, 'malformed SIP message');
    if (!answerable) return;
    if (peer.transport === 'udp') stampVia(req, peer);
    const warning = err.message.replace(/["\\]/g, "'").slice(0, 120);
    this.sendResponse(req, buildResponse(req, status, { headers: [['Warning', `399 earpiece "${warning}"`]] }), peer);
  }

  /** Sends a response to the request's origin (RFC 3261 §18.2.2 / RFC 3581). */
  sendResponse(request: SipRequest, response: SipResponse, peer: SipPeer): void {
    const data = serializeSipMessage(response);
    if (peer.transport === 'tcp') {
      if (peer.connection && !peer.connection.destroyed) peer.connection.write(data);
      else this.#log.warn({ address: peer.address, status: response.status }, 'SIP TCP connection gone: response not sent');
      return;
    }
    const via = parseVia(getHeader(request, 'via') ?? '');
    // To the request's source address: the `received` we stamp is always that address, and a
    // `received` the peer wrote itself is never trusted (it would aim our responses at a third
    // host, or at a name we would have to look up).
    const address = peer.address;
    const rport = Number(via?.params.get('rport'));
    const port = rport > 0 ? rport : (via?.port ?? 5060);
    // A Via port outside 1-65535 made dgram throw, from a retransmission timer: an uncaught exception (SIP fuzz soak).
    if (!(port >= 1 && port <= 65535)) {
      this.#log.warn({ address, port, status: response.status }, 'SIP response not sent: the Via names no usable port');
      return;
    }
    this.#udp?.send(data, port, address);
  }

  /** Sends a request (or an ACK-less retransmission) to a peer: on its TCP connection, or by UDP. */
  sendTo(message: SipMessage, peer: SipPeer): void {
    const data = serializeSipMessage(message);
    if (peer.transport === 'tcp') {
      if (peer.connection && !peer.connection.destroyed) peer.connection.write(data);
      else this.#log.warn({ address: peer.address }, 'SIP TCP connection gone: request not sent');
    } else if (peer.port >= 1 && peer.port <= 65535) {
      this.#udp?.send(data, peer.port, peer.address);
    } else {
      this.#log.warn({ address: peer.address, port: peer.port }, 'SIP request not sent: no usable port');
    }
  }

  async close(): Promise<void> {
    for (const s of this.#connections) s.destroy();
    const udp = this.#udp;
    const tcp = this.#tcp;
    this.#udp = undefined;
    this.#tcp = undefined;
    if (udp) {
      await new Promise<void>((resolve) => {
        try {
          udp.close(() => resolve());
        } catch {
          resolve(); // never bound
        }
      });
    }
    if (tcp) await new Promise<void>((resolve) => tcp.close(() => resolve()));
  }
}

/** RFC 3261 §18.2.1 `received` and RFC 3581 `rport` on the top Via of a UDP request. */
function stampVia(request: SipRequest, peer: SipPeer): void {
  const top = request.headers.find((h) => h.name === 'via');
  if (!top) return;
  const [first = '', ...rest] = splitFirstVia(top.value);
  const via = parseVia(first);
  if (!via) return;
  let value = first;
  if (via.host !== peer.address && !via.params.has('received')) value += `;received=${peer.address}`;
  if (via.params.has('rport') && !via.params.get('rport')) value = value.replace(/;rport(?=;|$)/i, `;rport=${peer.port}`);
  top.value = [value, ...rest].join(', ');
}

function splitFirstVia(value: string): string[] {
  const i = value.indexOf(',');
  return i < 0 ? [value] : [value.slice(0, i).trim(), value.slice(i + 1).trim()];
}
