/** The post-call admin API on a whole node (test stack): admin only; list and retry of dead-lettered jobs. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestStack, type TestStack } from '../testing/test-stack.ts';

let stack: TestStack;
before(async () => {
  stack = await startTestStack({ EARPIECE_NLU: 'off' });
});
after(async () => {
  await stack?.close();
});

const LIST = '/api/admin/post-call/dead-letters';

test('dead letters are for admins only', async () => {
  assert.equal((await fetch(stack.httpUrl + LIST)).status, 401);
  for (const role of ['agent', 'supervisor', 'reviewer'] as const) {
    const res = await fetch(stack.httpUrl + LIST, { headers: await stack.authHeaders(`pc-${role}`, role) });
    assert.equal(res.status, 403, role);
  }
  const retry = await fetch(`${stack.httpUrl}${LIST}/archive-x/retry`, { method: 'POST', headers: await stack.authHeaders('pc-agent', 'agent') });
  assert.equal(retry.status, 403);
});

test('an admin lists dead letters and gets 404 retrying one that is not there', async () => {
  const headers = await stack.authHeaders();
  const res = await fetch(stack.httpUrl + LIST, { headers });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { deadLetters: [] });
  const retry = await fetch(`${stack.httpUrl}${LIST}/archive-nothing/retry`, { method: 'POST', headers });
  assert.equal(retry.status, 404);
  assert.equal(((await retry.json()) as { code: string }).code, 'EARPIECE_DEAD_LETTER_NOT_FOUND');
});
