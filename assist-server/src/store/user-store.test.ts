import assert from 'node:assert/strict';
import { testOnDatabases } from '../testing/test-databases.ts';
import { AuthService } from '../auth/auth-service.ts';
import { UserExistsError } from './user-store.ts';

const WEAK = { log2N: 10, r: 8, p: 1 }; // fast hashes for the test; the default is N=2^15

testOnDatabases('users and sessions: sign-in, team lookup, expiry, password change signs out everywhere', async (_t, { db }) => {
  let now = 1_800_000_000_000;
  const auth = new AuthService(db, { sessionTtlMs: 3_600_000, scrypt: WEAK, now: () => now });
  assert.equal(await auth.users.hasActiveAdmin(), false);
  await auth.createUser({ username: 'agent-1', password: 'agent one password', role: 'agent', teamId: 'north' });
  await auth.createUser({ username: 'agent-2', password: 'agent two password', role: 'agent', teamId: 'south' });
  await auth.createUser({ username: 'sup', password: 'supervisor password', role: 'supervisor', teamId: 'north' });
  await assert.rejects(auth.createUser({ username: 'agent-1', password: 'another password', role: 'agent' }), UserExistsError);
  await assert.rejects(auth.createUser({ username: 'short', password: 'short', role: 'agent' }), /at least 10/);
  assert.deepEqual(await auth.teamAgents('north'), ['agent-1']);

  assert.equal(await auth.signIn('agent-1', 'wrong password'), undefined);
  assert.equal(await auth.signIn('nobody', 'agent one password'), undefined);
  const session = (await auth.signIn('agent-1', 'agent one password'))!;
  assert.equal(session.expiresAtMs, now + 3_600_000);
  assert.deepEqual(await auth.authenticate(session.token), { userId: 'agent-1', username: 'agent-1', displayName: 'agent-1', role: 'agent', teamId: 'north' });
  const row = await db.get<{ token_hash: string }>('SELECT token_hash FROM sessions');
  assert.notEqual(row?.token_hash, session.token, 'only the hash of a token is stored');

  now += 3_600_000;
  assert.equal(await auth.authenticate(session.token), undefined, 'expired');
  const again = (await auth.signIn('agent-1', 'agent one password'))!;
  await auth.setPassword('agent-1', 'a new password!');
  assert.equal(await auth.authenticate(again.token), undefined, 'a new password ends every session');
  assert.ok(await auth.signIn('agent-1', 'a new password!'));
  await auth.users.update('agent-1', { disabled: true });
  assert.equal(await auth.signIn('agent-1', 'a new password!'), undefined, 'disabled');
});
