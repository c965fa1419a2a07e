/**
 * Sign-in, sessions and users: one place the routes, the CLI, the access-control hook and the test
 * helpers go through. Passwords are hashed with scrypt off the event loop (auth/password-hash.ts).
 */
import type { SqlDatabase } from '../db/sql-database.ts';
import { SessionStore } from '../store/session-store.ts';
import { UserStore, type StoredUser } from '../store/user-store.ts';
import type { TeamDirectory } from './call-access.ts';
import { DEFAULT_SCRYPT, hashPassword, needsRehash, verifyPassword, type ScryptParams } from './password-hash.ts';
import type { AuthUser, Role } from './roles.ts';

export const MIN_PASSWORD_LENGTH = 10;

export interface AuthServiceOptions {
  sessionTtlMs: number;
  scrypt?: ScryptParams;
  now?: () => number;
}

export const publicUser = (u: StoredUser): AuthUser & { createdAtMs: number; disabled: boolean } => ({
  userId: u.userId,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  teamId: u.teamId,
  createdAtMs: u.createdAtMs,
  disabled: u.disabled,
});

export class AuthService implements TeamDirectory {
  readonly users: UserStore;
  readonly sessions: SessionStore;
  private readonly now: () => number;
  private readonly scrypt: ScryptParams;
  /** A hash to verify against when the username is unknown, so a miss costs as long as a wrong password. */
  private dummyHash: Promise<string> | undefined;

  constructor(
    db: SqlDatabase,
    private readonly options: AuthServiceOptions,
  ) {
    this.users = new UserStore(db);
    this.sessions = new SessionStore(db);
    this.now = options.now ?? Date.now;
    this.scrypt = options.scrypt ?? DEFAULT_SCRYPT;
  }

  get sessionTtlMs(): number {
    return this.options.sessionTtlMs;
  }

  /** A session for the user, or undefined when the username/password is wrong or the user is disabled. */
  async signIn(username: string, password: string): Promise<{ token: string; expiresAtMs: number; user: AuthUser } | undefined> {
    const user = await this.users.byUsername(username);
    if (!user) {
      this.dummyHash ??= hashPassword('not a password', this.scrypt);
      await verifyPassword(password, await this.dummyHash);
      return undefined;
    }
    if (!(await verifyPassword(password, user.passwordHash)) || user.disabled) return undefined;
    if (needsRehash(user.passwordHash, this.scrypt)) await this.users.update(user.userId, { passwordHash: await hashPassword(password, this.scrypt) });
    const session = await this.sessions.create(user.userId, this.options.sessionTtlMs, this.now());
    return { ...session, user: toAuthUser(user) };
  }

  /** The user behind a session token (undefined: unknown, expired or the user is disabled). */
  async authenticate(token: string): Promise<AuthUser | undefined> {
    const session = await this.sessions.lookup(token, this.now());
    if (!session) return undefined;
    const user = await this.users.byId(session.userId);
    return user && !user.disabled ? toAuthUser(user) : undefined;
  }

  async signOut(token: string): Promise<void> {
    await this.sessions.revoke(token);
  }

  async createUser(input: { username: string; password: string; role: Role; displayName?: string; teamId?: string | null }): Promise<StoredUser> {
    checkPassword(input.password);
    return this.users.create({ username: input.username, displayName: input.displayName, role: input.role, teamId: input.teamId ?? null, passwordHash: await hashPassword(input.password, this.scrypt), createdAtMs: this.now() });
  }

  /** New password; signs the user out everywhere. */
  async setPassword(userId: string, password: string): Promise<StoredUser | undefined> {
    checkPassword(password);
    const user = await this.users.update(userId, { passwordHash: await hashPassword(password, this.scrypt) });
    if (user) await this.sessions.revokeUser(userId);
    return user;
  }

  teamAgents(teamId: string): Promise<string[]> {
    return this.users.teamAgents(teamId);
  }
}

export class WeakPasswordError extends Error {}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new WeakPasswordError(`a password needs at least ${MIN_PASSWORD_LENGTH} characters`);
}

const toAuthUser = (u: StoredUser): AuthUser => ({ userId: u.userId, username: u.username, displayName: u.displayName, role: u.role, teamId: u.teamId });
