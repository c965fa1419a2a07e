/**
 * The supervisor wall and the admin screen in a real browser (Debian chromium via playwright-core)
 * against a whole running node. A short synthesized call plays: its row appears on the wall with
 * the agent's name, the forbidden-phrase alert reaches the feed, the supervisor opens the call
 * read-only (transcript, no feedback controls), and when the call ends the row leaves the live
 * table for "Ended recently". The admin screen shows a refused article's error next to its field.
 * axe-core finds no serious or critical violations on either screen. Saves
 * test-results/supervisor-wall.png, supervisor-call.png and admin.png.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { replayCall } from '@earpiece/telephony-bridge';
import { describeViolations, seriousViolations, signInPage, useBrowserStack, TEST_RESULTS_DIR } from '../src/testing/browser.ts';
import { synthesizeCall } from '../src/testing/speech-audio.ts';

const RESULTS = TEST_RESULTS_DIR;

const env = useBrowserStack();

const describe = describeViolations;

test('a live call appears on the wall with its agent, can be watched read-only, and leaves when it ends', async () => {
  const callId = 'wall-1';
  const call = await synthesizeCall([
    { role: 'agent', text: 'this fund gives you guaranteed returns every year' },
    { role: 'customer', text: 'I lost my card yesterday' },
  ]);
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  await signInPage(page, env.stack, 'sup', 'supervisor', '/#/supervisor');
  await page.getByRole('heading', { name: 'Supervisor wall' }).waitFor();
  await page.getByText('No calls right now.').waitFor();

  const replay = replayCall({ serverUrl: env.stack.wsUrl, agentId: 'agent-1', callId, callerNumber: '+14155550142', stereoWav: call.path, speed: 1 });
  const row = page.locator(`tr[data-call-id="${callId}"]`);
  await row.waitFor({ timeout: 15_000 });
  assert.match(await row.innerText(), /Alex Morgan/);
  await page.locator('.alert-item', { hasText: 'Critical' }).first().waitFor({ timeout: 20_000 });
  await row.getByTestId('warnings').getByText(/critical/).waitFor();

  const wallViolations = await seriousViolations(page);
  assert.equal(wallViolations.length, 0, `axe found serious/critical violations on the wall:\n${describe(wallViolations)}`);
  await page.screenshot({ path: join(RESULTS, 'supervisor-wall.png'), fullPage: true });

  // Click into the call: the desk's transcript, read-only.
  await row.getByRole('link', { name: /Watch the call of Alex Morgan/ }).click();
  await page.getByRole('heading', { name: /Call of Alex Morgan/ }).waitFor();
  await page.getByRole('log', { name: 'Live transcript' }).locator('[data-state="final"]').first().waitFor({ timeout: 20_000 });
  assert.equal(await page.getByRole('button', { name: /used|dismiss|helpful|copy/i }).count(), 0, 'no feedback controls in the read-only view');
  const callViolations = await seriousViolations(page);
  assert.equal(callViolations.length, 0, `axe found serious/critical violations on the watched call:\n${describe(callViolations)}`);
  await page.screenshot({ path: join(RESULTS, 'supervisor-call.png'), fullPage: true });
  await page.getByRole('link', { name: 'Back to all calls' }).click();

  await replay;
  await page.locator(`.ended-list li[data-call-id="${callId}"]`).waitFor({ timeout: 15_000 });
  assert.equal(await row.count(), 0, 'the ended call left the live table');
  await page.close();
});

test('the admin screen shows a refused article error next to its field and passes axe', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  await signInPage(page, env.stack, env.stack.admin.username, 'admin', '/#/admin');
  await page.getByRole('heading', { name: 'Knowledge base' }).waitFor();
  const first = page.getByRole('list', { name: 'Articles' }).getByRole('listitem').first().getByRole('button').first();
  await first.waitFor();
  await first.click();
  await page.getByLabel('Title').fill('');
  await page.getByRole('button', { name: 'Save changes' }).click();
  const error = page.locator('.admin-field.has-error', { has: page.getByLabel('Title') }).locator('.field-error');
  await error.waitFor();
  assert.equal(await page.getByLabel('Title').getAttribute('aria-invalid'), 'true');

  const kbViolations = await seriousViolations(page);
  assert.equal(kbViolations.length, 0, `axe found serious/critical violations on the admin screen:\n${describe(kbViolations)}`);
  await page.getByLabel('Title').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(RESULTS, 'admin.png') });

  await page.getByRole('button', { name: 'Compliance rules' }).click();
  const yaml = page.getByLabel(/Rules file \(YAML\)/);
  await yaml.waitFor();
  assert.match(await yaml.inputValue(), /rules:/);
  const rulesViolations = await seriousViolations(page);
  assert.equal(rulesViolations.length, 0, `axe found serious/critical violations on the rules editor:\n${describe(rulesViolations)}`);
  await page.close();
});
