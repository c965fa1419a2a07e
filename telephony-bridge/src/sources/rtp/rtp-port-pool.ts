/**
 * Allocates RTP/RTCP UDP port pairs from a configured range: RTP on an even port p, RTCP on p+1
 * (RFC 3550 §11). `acquire` binds both sockets; a pair that another process (or anything else)
 * holds is skipped. Allocation goes round the range from where the last one stopped, so a port
 * just released is not handed out again at once (stray packets of the old call then miss the new
 * one). Rejects with EARPIECE_BRIDGE_RTP_PORTS_EXHAUSTED (retryable) when no pair is free.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { BridgeError } from '../../core/errors.ts';

export interface RtpPortPoolOptions {
  host: string;
  minPort: number;
  maxPort: number;
}

export interface RtpPortPair {
  port: number;
  rtp: Socket;
  rtcp: Socket;
}

export class RtpPortPool {
  readonly host: string;
  readonly firstPort: number;
  readonly pairCount: number;
  readonly #taken = new Set<number>();
  #cursor = 0;

  constructor(options: RtpPortPoolOptions) {
    const { host, minPort, maxPort } = options;
    const first = minPort % 2 === 0 ? minPort : minPort + 1;
    const valid = Number.isInteger(minPort) && Number.isInteger(maxPort) && minPort >= 1024 && maxPort <= 65535 && first + 1 <= maxPort;
    if (!valid) {
      throw new BridgeError(
        'EARPIECE_BRIDGE_RTP_BAD_PORT_RANGE',
        `RTP port range ${minPort}-${maxPort} holds no even/odd pair; set minPort and maxPort to integers within 1024-65535 with at least one even port p and p+1 inside (e.g. 10000-20000)`,
      );
    }
    this.host = host;
    this.firstPort = first;
    this.pairCount = Math.floor((maxPort - first + 1) / 2);
  }

  /** Pairs handed out and not yet released. */
  get inUse(): number {
    return this.#taken.size;
  }

  /** Binds the next free pair. Rejects with EARPIECE_BRIDGE_RTP_PORTS_EXHAUSTED when none is free. */
  async acquire(): Promise<RtpPortPair> {
    let busy = 0;
    for (let tried = 0; tried < this.pairCount; tried++) {
      const index = (this.#cursor + tried) % this.pairCount;
      const port = this.firstPort + 2 * index;
      if (this.#taken.has(port)) continue;
      this.#taken.add(port); // reserve before awaiting, so concurrent acquires pick different pairs
      let pair: RtpPortPair | null;
      try {
        pair = await this.#bindPair(port);
      } catch (err) {
        this.#taken.delete(port);
        throw err;
      }
      if (pair) {
        this.#cursor = (index + 1) % this.pairCount;
        return pair;
      }
      this.#taken.delete(port);
      busy++;
    }
    throw new BridgeError(
      'EARPIECE_BRIDGE_RTP_PORTS_EXHAUSTED',
      `no free RTP port pair in ${this.firstPort}-${this.firstPort + 2 * this.pairCount - 1} on ${this.host} (${this.#taken.size} in use by calls, ${busy} busy elsewhere); widen the RTP port range or lower the call limit`,
      { retryable: true },
    );
  }

  /** Returns a pair's port to the pool (close its sockets first). */
  release(port: number): void {
    this.#taken.delete(port);
  }

  async #bindPair(port: number): Promise<RtpPortPair | null> {
    const rtp = await this.#bind(port);
    if (!rtp) return null;
    const rtcp = await this.#bind(port + 1).catch(async (err: unknown) => {
      await closeQuietly(rtp);
      throw err;
    });
    if (!rtcp) {
      await closeQuietly(rtp);
      return null;
    }
    return { port, rtp, rtcp };
  }

  #bind(port: number): Promise<Socket | null> {
    const socket = createSocket({ type: isIP(this.host) === 6 ? 'udp6' : 'udp4' });
    return new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        socket.close();
        if (err.code === 'EADDRINUSE' || err.code === 'EACCES') resolve(null);
        else {
          reject(
            new BridgeError('EARPIECE_BRIDGE_RTP_BIND_FAILED', `cannot bind RTP socket on ${this.host}:${port}: ${err.message}; check the RTP host address`, {
              cause: err,
            }),
          );
        }
      };
      socket.once('error', onError);
      socket.bind({ address: this.host, port, exclusive: true }, () => {
        socket.off('error', onError);
        resolve(socket);
      });
    });
  }
}

/** Closes a UDP socket, resolving when it is closed (or was already). */
export function closeQuietly(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // already closed
    }
  });
}
