/**
 * One WebSocket to the ingest route, for IngestClient: sends `call.start` on open, parses the
 * server's messages into handler calls, writes frames while tracking unflushed bytes, and
 * reports its end exactly once through `closed` (never after the owner's close()).
 */
import WebSocket from 'ws';
import type { CallStartMessage, IngestServerMessage, LegRole } from '@earpiece/assist-server/protocol';
import { BridgeError } from '../core/errors.ts';
import type { BridgeLogger } from '../core/logger.ts';

export interface ConnectionHandlers {
  accepted(nextSeq: Record<string, number>): void;
  ack(role: LegRole, seq: number): void;
  stopped(): void;
  /** A server `error`; before acceptance it refuses the call and the connection closes. */
  serverError(err: BridgeError): void;
  /** `refusal`: the server's error before acceptance; `error`: the socket's last error. */
  closed(info: { code: number; reason: string; refusal?: BridgeError; error?: Error }): void;
  /** Bytes were flushed to the network (back-pressure eased). */
  flushed(): void;
}

const CLOSE_WAIT_MS = 2000;

export class IngestConnection {
  #ws: WebSocket;
  #handlers: ConnectionHandlers;
  #log: BridgeLogger;
  #callId: string;
  #accepted = false;
  #detached = false;
  #refusal: BridgeError | undefined;
  #lastError: Error | undefined;
  #connectTimer: NodeJS.Timeout | undefined;
  #closing: Promise<void> | undefined;
  unflushedBytes = 0;

  constructor(url: string, start: CallStartMessage, connectTimeoutMs: number, handlers: ConnectionHandlers, log: BridgeLogger) {
    this.#handlers = handlers;
    this.#log = log;
    this.#callId = start.callId;
    const ws = (this.#ws = new WebSocket(url, { perMessageDeflate: false }));
    this.#connectTimer = setTimeout(() => {
      this.#connectTimer = undefined;
      this.#lastError = new Error(`not accepted within ${connectTimeoutMs} ms`);
      ws.terminate();
    }, connectTimeoutMs);
    ws.on('open', () => ws.send(JSON.stringify(start)));
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      if (!this.#detached && !isBinary) this.#onMessage(rawToString(data));
    });
    ws.on('error', (err: Error) => (this.#lastError = err));
    ws.on('close', (code: number, reason: Buffer) => {
      this.#clearTimer();
      if (this.#detached) return;
      this.#detached = true;
      this.#handlers.closed({ code, reason: reason.toString(), ...(this.#refusal ? { refusal: this.#refusal } : {}), ...(this.#lastError ? { error: this.#lastError } : {}) });
    });
  }

  get isOpen(): boolean {
    return this.#accepted && !this.#detached && this.#ws.readyState === WebSocket.OPEN;
  }

  /** Writes a binary frame; false when the connection cannot take it (the frame stays buffered). */
  send(bytes: Uint8Array): boolean {
    if (!this.isOpen) return false;
    this.unflushedBytes += bytes.byteLength;
    this.#ws.send(bytes, { binary: true }, () => {
      this.unflushedBytes -= bytes.byteLength;
      if (!this.#detached) this.#handlers.flushed();
    });
    return true;
  }

  sendControl(message: object): void {
    if (this.isOpen) this.#ws.send(JSON.stringify(message));
  }

  /** Closes without reporting `closed`; resolves when the socket is gone. Idempotent. */
  close(): Promise<void> {
    this.#detached = true;
    this.#clearTimer();
    this.#closing ??= closeSocket(this.#ws);
    return this.#closing;
  }

  #onMessage(text: string): void {
    let msg: IngestServerMessage;
    try {
      msg = JSON.parse(text) as IngestServerMessage;
    } catch {
      this.#log.warn({ callId: this.#callId }, 'ingest server sent a message that is not JSON; ignored');
      return;
    }
    switch (msg.type) {
      case 'call.accepted':
        this.#clearTimer();
        this.#accepted = true;
        return this.#handlers.accepted(msg.nextSeq ?? {});
      case 'ack':
        return this.#handlers.ack(msg.role, msg.seq);
      case 'call.stopped':
        return this.#handlers.stopped();
      case 'error': {
        const err = new BridgeError(msg.code, `assist-server: ${msg.message}`, { retryable: msg.retryable });
        if (!this.#accepted) {
          this.#refusal = err; // call.start refused: the server closes too
          if (this.#ws.readyState === WebSocket.OPEN) this.#ws.close(1000);
        }
        return this.#handlers.serverError(err);
      }
      default:
        this.#log.warn({ callId: this.#callId, type: String((msg as { type?: unknown }).type) }, 'unknown ingest server message; ignored');
    }
  }

  #clearTimer(): void {
    if (this.#connectTimer) clearTimeout(this.#connectTimer);
    this.#connectTimer = undefined;
  }
}

function rawToString(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

/** Closes a socket and resolves once it is closed (terminating it if the close handshake stalls). */
function closeSocket(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => ws.terminate(), CLOSE_WAIT_MS);
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
    else if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'client closed');
  });
}
