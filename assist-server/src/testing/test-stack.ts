/**
 * A whole Earpiece node for end-to-end tests: real engine, real private redis-server, real SQLite
 * in a temp data dir, listening on a free loopback port.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import WebSocket from 'ws';
import { loadConfig } from '../config.ts';
import { startEarpiece, type EarpieceNode, type StartOptions } from '../earpiece.ts';
import type { AgentServerMessage } from '../protocol/index.ts';

export interface TestStack {
  node: EarpieceNode;
  httpUrl: string;
  wsUrl: string;
  dataDir: string;
  close(): Promise<void>;
}

export async function startTestStack(env: Record<string, string> = {}, options: StartOptions = {}): Promise<TestStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'earpiece-e2e-'));
  const config = loadConfig({
    EARPIECE_DATA_DIR: dataDir,
    EARPIECE_PORT: '0',
    EARPIECE_ASR_ENGINE: 'pocketsphinx',
    EARPIECE_LOG_LEVEL: 'warn',
    ...env,
  });
  const logger = options.logger ?? pino({ level: config.logLevel }, pino.destination(2));
  const node = await startEarpiece(config, { ...options, logger });
  return { node, httpUrl: node.url, wsUrl: node.url.replace(/^http/, 'ws'), dataDir, close: () => node.close() };
}

/** An agent's socket that records every message and lets a test wait for one. */
export class AgentSocketProbe {
  readonly messages: AgentServerMessage[] = [];
  private readonly waiters: Array<{ match: (m: AgentServerMessage) => boolean; resolve: (m: AgentServerMessage) => void }> = [];
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as AgentServerMessage;
      this.messages.push(msg);
      for (const w of [...this.waiters]) {
        if (w.match(msg)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(msg);
        }
      }
    });
  }

  static async connect(wsUrl: string, agentId: string): Promise<AgentSocketProbe> {
    const socket = new WebSocket(`${wsUrl}/ws/agent?agentId=${encodeURIComponent(agentId)}`);
    const probe = new AgentSocketProbe(socket);
    await probe.waitFor((m) => m.type === 'session.ready', 5000);
    return probe;
  }

  /** Resolves with the first message (already received or future) that matches. */
  waitFor(match: (m: AgentServerMessage) => boolean, timeoutMs: number): Promise<AgentServerMessage> {
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching agent message within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  close(): void {
    this.socket.close();
  }
}
