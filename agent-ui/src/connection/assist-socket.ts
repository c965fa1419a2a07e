import { AgentClientMessage } from '@earpiece/assist-server/protocol';
import type { AgentServerMessage } from '@earpiece/assist-server/protocol';
import { detectSeqGap } from '../state/seq-gap.ts';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff-delay.ts';
import type { BackoffOptions } from './backoff-delay.ts';
import { parseServerMessage } from './parse-server-message.ts';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting';

/** Pino-style logger; only ids and counts are logged, never transcript text. */
export interface AssistSocketLogger {
  debug?(obj: object, msg?: string): void;
  info?(obj: object, msg?: string): void;
  warn?(obj: object, msg?: string): void;
}

/** The part of the WebSocket constructor this client needs (browser `WebSocket` by default). */
export type WebSocketFactory = (url: string) => WebSocket;

export interface AssistSocketOptions {
  /** Full `ws(s)://…/ws/agent?agentId=…` URL (see `agentSocketUrl`). */
  url: string;
  backoff?: BackoffOptions;
  /** Keep-alive `ping` interval; 0 turns it off. */
  pingIntervalMs?: number;
  /** How long to wait for an answered `snapshot.request` before asking again for that call. */
  snapshotRetryMs?: number;
  createWebSocket?: WebSocketFactory;
  random?: () => number;
  now?: () => number;
  logger?: AssistSocketLogger;
}

// WebSocket readyState values (numeric so a non-browser WebSocket implementation works too).
const READY_CONNECTING = 0;
const READY_OPEN = 1;

type MessageListener = (message: AgentServerMessage) => void;
type StatusListener = (status: ConnectionStatus) => void;

/**
 * The agent's WebSocket to assist-server. Connects on `start()`, reconnects by itself with capped
 * exponential backoff after any drop, and asks for a `call.snapshot` when it sees a seq gap.
 * Listeners get every valid server message in arrival order; the reducer drops duplicates.
 */
export class AssistSocket {
  #options: Required<Omit<AssistSocketOptions, 'logger'>> & { logger: AssistSocketLogger | undefined };
  #socket: WebSocket | null = null;
  #status: ConnectionStatus = 'connecting';
  #attempt = 0;
  #started = false;
  #closed = false;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #pingTimer: ReturnType<typeof setInterval> | null = null;
  #lastSeq = new Map<string, number>();
  #snapshotAskedAt = new Map<string, number>();
  #messageListeners = new Set<MessageListener>();
  #statusListeners = new Set<StatusListener>();
  #droppedFrames = 0;
  #everLive = false;

  constructor(options: AssistSocketOptions) {
    this.#options = {
      url: options.url,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      pingIntervalMs: options.pingIntervalMs ?? 25_000,
      snapshotRetryMs: options.snapshotRetryMs ?? 5_000,
      createWebSocket: options.createWebSocket ?? ((url) => new WebSocket(url)),
      random: options.random ?? Math.random,
      now: options.now ?? Date.now,
      logger: options.logger,
    };
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  /** Frames dropped because they were not valid protocol messages. */
  get droppedFrames(): number {
    return this.#droppedFrames;
  }

  onMessage(listener: MessageListener): () => void {
    this.#messageListeners.add(listener);
    return () => this.#messageListeners.delete(listener);
  }

  onStatus(listener: StatusListener): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    this.#connect();
  }

  /** Sends a client message if the socket is open; returns whether it was sent. */
  send(message: AgentClientMessage): boolean {
    const parsed = AgentClientMessage.safeParse(message);
    if (!parsed.success) {
      throw Object.assign(new Error('Invalid client message for /ws/agent; check it against AgentClientMessage.'), {
        code: 'EARPIECE_UI_CLIENT_MESSAGE_INVALID',
        retryable: false,
      });
    }
    const socket = this.#socket;
    if (!socket || socket.readyState !== READY_OPEN) return false;
    socket.send(JSON.stringify(parsed.data));
    return true;
  }

  /** Idempotent: stops reconnecting, clears timers, closes the socket, drops listeners. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#clearTimers();
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      if (socket.readyState === READY_CONNECTING || socket.readyState === READY_OPEN) {
        socket.close(1000, 'client closed');
      }
    }
    this.#messageListeners.clear();
    this.#statusListeners.clear();
  }

  #connect(): void {
    let socket: WebSocket;
    try {
      socket = this.#options.createWebSocket(this.#options.url);
    } catch (error) {
      this.#options.logger?.warn?.({ code: 'EARPIECE_UI_SOCKET_OPEN_FAILED', err: String(error) }, 'agent socket could not be created');
      this.#scheduleReconnect();
      return;
    }
    this.#socket = socket;
    socket.onopen = () => {
      // The server opens with a snapshot of each live call, so per-call tracking starts afresh.
      this.#lastSeq.clear();
      this.#snapshotAskedAt.clear();
      this.#setStatus('live');
      this.#startPing();
    };
    socket.onmessage = (event: MessageEvent) => this.#handleFrame(event.data);
    socket.onerror = () => {
      // A close event always follows; reconnecting happens there.
      this.#options.logger?.debug?.({ code: 'EARPIECE_UI_SOCKET_ERROR' }, 'agent socket error');
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      this.#options.logger?.info?.({ code: event.code, attempt: this.#attempt }, 'agent socket closed');
      this.#scheduleReconnect();
    };
  }

  #handleFrame(data: unknown): void {
    const result = parseServerMessage(data);
    if (!result.ok) {
      this.#droppedFrames += 1;
      this.#options.logger?.warn?.({ code: result.code, dropped: this.#droppedFrames }, 'dropped agent socket frame');
      return;
    }
    const message = result.message;
    // A server that speaks the protocol has accepted us: the next drop starts backoff afresh.
    if (message.type !== 'error') this.#attempt = 0;
    if ('seq' in message) this.#trackSeq(message);
    for (const listener of this.#messageListeners) {
      try {
        listener(message);
      } catch (error) {
        this.#options.logger?.warn?.({ code: 'EARPIECE_UI_LISTENER_FAILED', type: message.type, err: String(error) }, 'agent socket listener threw');
      }
    }
  }

  #trackSeq(message: Extract<AgentServerMessage, { seq: number }>): void {
    const { callId, seq } = message;
    const last = this.#lastSeq.get(callId);
    if (message.type === 'call.snapshot') {
      this.#snapshotAskedAt.delete(callId);
      this.#lastSeq.set(callId, seq);
      return;
    }
    if (detectSeqGap(last, message)) this.#requestSnapshot(callId, last, seq);
    this.#lastSeq.set(callId, Math.max(last ?? seq, seq));
  }

  #requestSnapshot(callId: string, lastSeq: number | undefined, seq: number): void {
    const askedAt = this.#snapshotAskedAt.get(callId);
    const now = this.#options.now();
    if (askedAt !== undefined && now - askedAt < this.#options.snapshotRetryMs) return;
    if (this.send({ type: 'snapshot.request', callId })) {
      this.#snapshotAskedAt.set(callId, now);
      this.#options.logger?.info?.({ callId, lastSeq: lastSeq ?? null, seq }, 'seq gap; snapshot requested');
    }
  }

  #scheduleReconnect(): void {
    this.#stopPing();
    if (this.#closed) return;
    this.#setStatus(this.#everLive ? 'reconnecting' : 'connecting');
    const delayMs = backoffDelay(this.#attempt, this.#options.backoff, this.#options.random);
    this.#attempt += 1;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      if (!this.#closed) this.#connect();
    }, delayMs);
  }

  #setStatus(status: ConnectionStatus): void {
    if (status === 'live') this.#everLive = true;
    if (status === this.#status) return;
    this.#status = status;
    for (const listener of this.#statusListeners) {
      try {
        listener(status);
      } catch (error) {
        this.#options.logger?.warn?.({ code: 'EARPIECE_UI_LISTENER_FAILED', err: String(error) }, 'status listener threw');
      }
    }
  }

  #startPing(): void {
    this.#stopPing();
    if (this.#options.pingIntervalMs <= 0) return;
    this.#pingTimer = setInterval(() => this.send({ type: 'ping' }), this.#options.pingIntervalMs);
  }

  #stopPing(): void {
    if (this.#pingTimer !== null) clearInterval(this.#pingTimer);
    this.#pingTimer = null;
  }

  #clearTimers(): void {
    this.#stopPing();
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }
}
