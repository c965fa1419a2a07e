/** Users who sign in (table users, migration 8). Passwords only as scrypt hashes (auth/password-hash.ts). */
import type { AuthUser, Role } from '../auth/roles.ts';
import type { SqlDatabase, SqlValue } from '../db/sql-database.ts';

export interface StoredUser extends AuthUser {
  passwordHash: string;
  createdAtMs: number;
  disabled: boolean;
}

interface UserRow {
  user_id: string;
  username: string;
  display_name: string;
  role: Role;
  team_id: string | null;
  password_hash: string;
  created_at_ms: number;
  disabled: number;
}

const toUser = (r: UserRow): StoredUser => ({
  userId: r.user_id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  teamId: r.team_id,
  passwordHash: r.password_hash,
  createdAtMs: r.created_at_ms,
  disabled: r.disabled === 1,
});

/** Usernames double as user ids (and an agent's as the agent id calls carry): same alphabet as agent ids. */
export const USERNAME = /^[A-Za-z0-9._@-]{1,128}$/;

export class UserExistsError extends Error {
  constructor(username: string) {
    super(`user ${username} already exists`);
  }
}

export class UserStore {
  constructor(private readonly db: SqlDatabase) {}

  async create(user: { username: string; displayName?: string; role: Role; teamId?: string | null; passwordHash: string; createdAtMs?: number }): Promise<StoredUser> {
    if (!USERNAME.test(user.username)) throw new Error(`invalid username ${JSON.stringify(user.username)}: letters, digits and . _ @ - only`);
    if (await this.byUsername(user.username)) throw new UserExistsError(user.username);
    const row: UserRow = {
      user_id: user.username,
      username: user.username,
      display_name: user.displayName?.trim() || user.username,
      role: user.role,
      team_id: user.teamId ?? null,
      password_hash: user.passwordHash,
      created_at_ms: user.createdAtMs ?? Date.now(),
      disabled: 0,
    };
    try {
      await this.db.run('INSERT INTO users (user_id, username, display_name, role, team_id, password_hash, created_at_ms, disabled) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
        row.user_id,
        row.username,
        row.display_name,
        row.role,
        row.team_id,
        row.password_hash,
        row.created_at_ms,
        row.disabled,
      ]);
    } catch (err) {
      if (/unique|duplicate/i.test((err as Error).message)) throw new UserExistsError(user.username);
      throw err;
    }
    return toUser(row);
  }

  async byUsername(username: string): Promise<StoredUser | undefined> {
    const row = await this.db.get<UserRow>('SELECT * FROM users WHERE username = ?', [username]);
    return row && toUser(row);
  }

  async byId(userId: string): Promise<StoredUser | undefined> {
    const row = await this.db.get<UserRow>('SELECT * FROM users WHERE user_id = ?', [userId]);
    return row && toUser(row);
  }

  async list(filter: { role?: Role; teamId?: string } = {}): Promise<StoredUser[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (filter.role) (where.push('role = ?'), params.push(filter.role));
    if (filter.teamId) (where.push('team_id = ?'), params.push(filter.teamId));
    const rows = await this.db.all<UserRow>(`SELECT * FROM users ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY username`, params);
    return rows.map(toUser);
  }

  /** Agent ids (user ids) of a team's agents. */
  async teamAgents(teamId: string): Promise<string[]> {
    const rows = await this.db.all<{ user_id: string }>("SELECT user_id FROM users WHERE team_id = ? AND role = 'agent' ORDER BY user_id", [teamId]);
    return rows.map((r) => r.user_id);
  }

  async hasActiveAdmin(): Promise<boolean> {
    return (await this.db.get("SELECT user_id FROM users WHERE role = 'admin' AND disabled = 0 LIMIT 1")) !== undefined;
  }

  /** Changes the given fields; undefined when there is no such user. */
  async update(userId: string, changes: { displayName?: string; role?: Role; teamId?: string | null; passwordHash?: string; disabled?: boolean }): Promise<StoredUser | undefined> {
    const sets: string[] = [];
    const params: SqlValue[] = [];
    if (changes.displayName !== undefined) (sets.push('display_name = ?'), params.push(changes.displayName));
    if (changes.role !== undefined) (sets.push('role = ?'), params.push(changes.role));
    if (changes.teamId !== undefined) (sets.push('team_id = ?'), params.push(changes.teamId));
    if (changes.passwordHash !== undefined) (sets.push('password_hash = ?'), params.push(changes.passwordHash));
    if (changes.disabled !== undefined) (sets.push('disabled = ?'), params.push(changes.disabled ? 1 : 0));
    if (sets.length) await this.db.run(`UPDATE users SET ${sets.join(', ')} WHERE user_id = ?`, [...params, userId]);
    return this.byId(userId);
  }
}
