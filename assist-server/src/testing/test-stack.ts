/**
 * A whole Earpiece node for end-to-end tests: real engine, real private redis-server, real SQLite
 * in a temp data dir, listening on a free loopback port. Every route is signed-in (auth/): the stack
 * keeps the first-run admin's password and makes users of any role with sessions for tests
 * (`authHeaders`, `signIn`); AgentSocketProbe signs its agent in by itself.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import WebSocket from 'ws';
import { hashPassword } from '../auth/password-hash.ts';
import type { Role } from '../auth/roles.ts';
import { SESSION_COOKIE } from '../auth/session-cookie.ts';
import { loadConfig } from '../config.ts';
import { startEarpiece, type EarpieceNode, type StartOptions } from '../earpiece.ts';
import type { AgentServerMessage } from '../protocol/index.ts';

/** The password of every user a test stack makes (the first-run admin's is generated: `stack.admin`). */
export const TEST_USER_PASSWORD = 'test-password-123';

export interface TestSession {
  username: string;
  token: string;
  /** `Authorization: Bearer …` for fetch and ws. */
  headers: { authorization: string };
  /** For a browser context (`context.addCookies([session.cookie])`). */
  cookie: { name: string; value: string; url: string };
}

export interface TestStack {
  node: EarpieceNode;
  httpUrl: string;
  wsUrl: string;
  dataDir: string;
  /** The first-run admin (created by the node, password printed once: kept here). */
  admin: { username: string; password: string };
  /** A session of `username`, made with `role` (and team) when there is no such user yet; cached per username. */
  signIn(username: string, role?: Role, options?: { teamId?: string | null; displayName?: string }): Promise<TestSession>;
  /** Auth headers of a user (default: the admin), for fetch. */
  authHeaders(username?: string, role?: Role): Promise<{ authorization: string }>;
  close(): Promise<void>;
}

const stacks = new Map<string, TestStack>();
let testPasswordHash: Promise<string> | undefined;

export async function startTestStack(env: Record<string, string> = {}, options: StartOptions = {}): Promise<TestStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'earpiece-e2e-'));
  const config = loadConfig({
    EARPIECE_DATA_DIR: dataDir,
    EARPIECE_PORT: '0',
    EARPIECE_ASR_ENGINE: 'pocketsphinx',
    EARPIECE_LOG_LEVEL: 'warn',
    // Cost-based admission depends on how busy the machine is; tests that exercise it set a target.
    EARPIECE_CAPACITY_TARGET: 'off',
    // Two warm decoders (not the default eight): each loads ~95 MB, and stacks start in every test.
    EARPIECE_RECOGNIZER_WARM_DECODERS: '2',
    ...env,
  });
  const logger = options.logger ?? pino({ level: config.logLevel }, pino.destination(2));
  let printed = '';
  const node = await startEarpiece(config, { ...options, logger, firstAdminOutput: options.firstAdminOutput ?? ((text) => (printed += text)) });
  const admin = { username: /username: (\S+)/.exec(printed)?.[1] ?? 'admin', password: /password: (\S+)/.exec(printed)?.[1] ?? '' };
  const sessions = new Map<string, Promise<TestSession>>();
  const httpUrl = node.url;
  const wsUrl = node.url.replace(/^http/, 'ws');

  const makeSession = async (username: string, role: Role, extra: { teamId?: string | null; displayName?: string }): Promise<TestSession> => {
    if (!(await node.auth.users.byUsername(username))) {
      testPasswordHash ??= hashPassword(TEST_USER_PASSWORD);
      await node.auth.users.create({ username, role, teamId: extra.teamId ?? null, displayName: extra.displayName, passwordHash: await testPasswordHash });
    }
    const user = (await node.auth.users.byUsername(username))!;
    const { token } = await node.auth.sessions.create(user.userId, node.auth.sessionTtlMs);
    return { username, token, headers: { authorization: `Bearer ${token}` }, cookie: { name: SESSION_COOKIE, value: token, url: httpUrl } };
  };

  const stack: TestStack = {
    node,
    httpUrl,
    wsUrl,
    dataDir,
    admin,
    signIn(username, role = 'agent', extra = {}) {
      let session = sessions.get(username);
      if (!session) {
        session = makeSession(username, role, extra);
        session.catch(() => sessions.delete(username));
        sessions.set(username, session);
      }
      return session;
    },
    async authHeaders(username = admin.username, role = 'admin') {
      return (await stack.signIn(username, role)).headers;
    },
    async close() {
      stacks.delete(wsUrl);
      await node.close();
    },
  };
  stacks.set(wsUrl, stack);
  return stack;
}

/** The test stack serving `wsUrl` (AgentSocketProbe signs in through it). */
export function testStackAt(wsUrl: string): TestStack | undefined {
  return stacks.get(wsUrl);
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

  /**
   * Connects as `agentId`, signed in: with `headers` when given, else through the test stack at `wsUrl`
   * (the agent user is made on first use).
   */
  static async connect(wsUrl: string, agentId: string, headers?: Record<string, string>): Promise<AgentSocketProbe> {
    const auth = headers ?? (await testStackAt(wsUrl)?.signIn(agentId, 'agent'))?.headers;
    if (!auth) throw new Error(`no test stack at ${wsUrl}: pass the agent's auth headers`);
    const socket = new WebSocket(`${wsUrl}/ws/agent`, { headers: auth });
    const probe = new AgentSocketProbe(socket);
    const failed = new Promise<never>((_, reject) => {
      socket.once('unexpected-response', (req, res) => (req.destroy(), reject(new Error(`agent socket refused: HTTP ${res.statusCode}`))));
      socket.once('error', reject);
    });
    await Promise.race([probe.waitFor((m) => m.type === 'session.ready', 5000), failed]);
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
