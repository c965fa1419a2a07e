/**
 * First run: when no enabled admin exists, creates `admin` with a generated password and prints it ONCE
 * to the terminal (stderr; never to the log, never stored in plain text). Sign in and change it.
 */
import type { AuthService } from './auth-service.ts';
import { generatePassword } from './password-hash.ts';

export async function ensureFirstAdmin(auth: AuthService, write: (text: string) => void = (t) => process.stderr.write(t)): Promise<boolean> {
  if (await auth.users.hasActiveAdmin()) return false;
  let username = 'admin';
  for (let i = 2; await auth.users.byUsername(username); i++) username = `admin${i}`;
  const password = generatePassword();
  await auth.createUser({ username, password, role: 'admin', displayName: 'Administrator' });
  write(`\n  Earpiece: no administrator existed, so one was created.\n    username: ${username}\n    password: ${password}\n  This password is shown once and stored only as a hash: sign in and change it (npx earpiece user passwd ${username}).\n\n`);
  return true;
}
