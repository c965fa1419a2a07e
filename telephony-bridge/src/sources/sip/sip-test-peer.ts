/**
 * A raw SIP peer for tests: sends hand-written requests over UDP or TCP and waits for what comes
 * back (responses and the requests the bridge sends, such as BYE). Not used in production.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { getHeader, parseSipMessage, serializeSipMessage, type SipMessage, type SipRequest } from './sip-message.ts';
import { SipStreamFramer } from './sip-stream-framer.ts';
import { randomToken } from './sip-response.ts';

export class SipTestPeer {
  readonly received: SipMessage[] = [];
  #consumed = new WeakSet<SipMessage>();
  #waiters: Array<{ match: (m: SipMessage) => boolean; resolve: (m: SipMessage) => void }> = [];
  #udp: UdpSocket | undefined;
  #tcp: Socket | undefined;
  port = 0;

  private constructor(
    readonly transport: 'udp' | 'tcp',
    private readonly target: { host: string; port: number },
  ) {}

  static async open(transport: 'udp' | 'tcp', target: { host: string; port: number }): Promise<SipTestPeer> {
    const peer = new SipTestPeer(transport, target);
    if (transport === 'udp') {
      const udp = createSocket('udp4');
      udp.on('message', (data) => peer.#onMessage(data));
      udp.bind(0, '127.0.0.1');
      await once(udp, 'listening');
      peer.#udp = udp;
      peer.port = udp.address().port;
    } else {
      const tcp = connect(target.port, target.host);
      await once(tcp, 'connect');
      const framer = new SipStreamFramer();
      tcp.on('data', (chunk: Buffer) => framer.push(chunk).forEach((m) => peer.#onMessage(m)));
      tcp.on('error', () => {});
      peer.#tcp = tcp;
      peer.port = tcp.localPort!;
    }
    return peer;
  }

  get closed(): boolean {
    return this.#tcp?.destroyed ?? false;
  }

  #onMessage(data: Buffer): void {
    const msg = parseSipMessage(data, { datagram: this.transport === 'udp' });
    if (!msg) return;
    this.received.push(msg);
    for (const w of [...this.#waiters]) {
      if (w.match(msg)) {
        this.#waiters.splice(this.#waiters.indexOf(w), 1);
        this.#consumed.add(msg);
        w.resolve(msg);
        return;
      }
    }
  }

  sendRaw(data: string | Buffer): void {
    const buf = Buffer.isBuffer(data) ? data : Buffer.from(data);
    if (this.#udp) this.#udp.send(buf, this.target.port, this.target.host);
    else this.#tcp!.write(buf);
  }

  send(message: SipMessage): void {
    this.sendRaw(serializeSipMessage(message));
  }

  /** Next message (not yet consumed by an earlier wait) that matches; rejects after timeoutMs. */
  waitFor(match: (m: SipMessage) => boolean, timeoutMs = 3000, what = 'a matching SIP message'): Promise<SipMessage> {
    const seen = this.received.find((m) => !this.#consumed.has(m) && match(m));
    if (seen) {
      this.#consumed.add(seen);
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms`)), timeoutMs);
      this.#waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  /** Waits for a final (or given) response to the request with this CSeq method and number. */
  response(cseq: string, status?: number, timeoutMs = 3000, callId?: string): Promise<SipMessage & { kind: 'response' }> {
    return this.waitFor(
      (m) =>
        m.kind === 'response' &&
        getHeader(m, 'cseq') === cseq &&
        (callId === undefined || getHeader(m, 'call-id') === callId) &&
        (status === undefined ? m.status >= 200 : m.status === status),
      timeoutMs,
      `response ${status ?? 'final'} to ${cseq}`,
    ) as Promise<SipMessage & { kind: 'response' }>;
  }

  /** A request with the usual headers; `headers` extra or overriding (by lower-case name). */
  request(method: string, o: { callId: string; cseq: number; fromTag?: string; toTag?: string; branch?: string; headers?: Record<string, string>; body?: string; uri?: string }): SipRequest {
    const t = this.transport.toUpperCase();
    const base: Record<string, string> = {
      via: `SIP/2.0/${t} 127.0.0.1:${this.port};branch=${o.branch ?? `z9hG4bK${randomToken()}`};rport`,
      'max-forwards': '70',
      from: `<sip:src@127.0.0.1:${this.port}>;tag=${o.fromTag ?? 'src1'}`,
      to: `<sip:srs@${this.target.host}:${this.target.port}>${o.toTag ? `;tag=${o.toTag}` : ''}`,
      'call-id': o.callId,
      cseq: `${o.cseq} ${method}`,
      contact: `<sip:src@127.0.0.1:${this.port};transport=${this.transport}>`,
      ...(o.body ? { 'content-type': 'application/sdp' } : {}),
      ...o.headers,
    };
    return {
      kind: 'request',
      method,
      uri: o.uri ?? `sip:srs@${this.target.host}:${this.target.port}`,
      headers: Object.entries(base).filter(([, v]) => v !== '').map(([name, value]) => ({ name, value })),
      body: Buffer.from(o.body ?? ''),
    };
  }

  async close(): Promise<void> {
    this.#udp?.close();
    this.#tcp?.destroy();
  }
}
