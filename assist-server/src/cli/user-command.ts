/**
 * `earpiece user add|passwd|list`: user accounts in the node's database (DATABASE_URL, else
 * EARPIECE_DATA_DIR's SQLite file). A password is read from stdin with --password-stdin (first line),
 * else generated and printed once to stderr; it is stored only as a scrypt hash. `passwd` signs the user
 * out everywhere. Audited as the OS user (actor `cli:<name>`).
 */
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AuthService } from '../auth/auth-service.ts';
import { generatePassword } from '../auth/password-hash.ts';
import { isRole, ROLES } from '../auth/roles.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/open-database.ts';
import { AuditLog } from '../store/audit-log.ts';
import type { CliCommand } from './main.ts';

const USAGE = [
  `earpiece user add USERNAME --role ${ROLES.join('|')} [--team TEAM] [--name "Display Name"] [--password-stdin]`,
  'earpiece user passwd USERNAME [--password-stdin]',
  'earpiece user list',
].join('\n      ');

async function readPassword(fromStdin: boolean): Promise<{ password: string; generated: boolean }> {
  if (!fromStdin) return { password: generatePassword(), generated: true };
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return { password: text.split(/\r?\n/)[0] ?? '', generated: false };
}

export const userCommand: CliCommand = {
  summary: 'add users, set passwords, list users',
  usage: USAGE,
  async run(argv) {
    const [sub, ...rest] = argv;
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { role: { type: 'string' }, team: { type: 'string' }, name: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
    });
    const username = positionals[0];
    if (!['add', 'passwd', 'list'].includes(sub ?? '') || (sub !== 'list' && !username) || (sub === 'add' && !isRole(values.role))) {
      process.stderr.write(`usage: ${USAGE}\n`);
      return 2;
    }
    const config = loadConfig();
    const db = await openDatabase({ databaseUrl: config.databaseUrl, sqlitePath: join(config.dataDir, 'earpiece.db') });
    try {
      const auth = new AuthService(db, { sessionTtlMs: config.auth.sessionTtlMs });
      const audit = new AuditLog(db);
      const actor = `cli:${userInfo().username}`;
      if (sub === 'list') {
        for (const u of await auth.users.list()) process.stdout.write(`${u.username}\t${u.role}\t${u.teamId ?? '-'}\t${u.disabled ? 'disabled' : 'active'}\t${u.displayName}\n`);
        return 0;
      }
      const { password, generated } = await readPassword(values['password-stdin'] === true);
      if (sub === 'add') {
        const user = await auth.createUser({ username: username!, password, role: values.role as (typeof ROLES)[number], teamId: values.team ?? null, displayName: values.name });
        await audit.record({ actor, action: 'user.created', detail: { userId: user.userId, role: user.role, teamId: user.teamId } });
      } else {
        const user = await auth.users.byUsername(username!);
        if (!user) {
          process.stderr.write(`no user ${username}\n`);
          return 1;
        }
        await auth.setPassword(user.userId, password);
        await audit.record({ actor, action: 'user.updated', detail: { userId: user.userId, passwordChanged: true } });
      }
      if (generated) process.stderr.write(`password for ${username} (shown once): ${password}\n`);
      else process.stderr.write(`${sub === 'add' ? 'added' : 'password changed for'} ${username}\n`);
      return 0;
    } finally {
      await db.close();
    }
  },
};
