/**
 * The agent desk in a real browser (Debian chromium via playwright-core) against a whole running
 * node, while a synthesized call plays: the customer lost their card, the agent skips the recording
 * disclosure and promises guaranteed returns. The desk must show the transcript, the intent, the
 * customer's emotion, a suggested article (expandable to its body, markable by keyboard), the
 * compliance warning and the summary for transfer. Mid-call the agent's socket drops: the desk
 * reconnects by itself and catches up, every utterance shown once. axe-core finds no serious or
 * critical accessibility violations. Saves test-results/agent-desk-assist.png.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { replayCall } from '@earpiece/telephony-bridge';
import { REPO_ROOT } from '../src/config.ts';
import { describeViolations, seriousViolations, signInPage, useBrowserStack } from '../src/testing/browser.ts';
import { synthesizeCall } from '../src/testing/speech-audio.ts';

const env = useBrowserStack();

const describe = describeViolations;

test('the desk shows transcript, intent, emotion, a suggestion and a compliance warning as the call plays', async () => {
  const call = await synthesizeCall([
    { role: 'agent', text: 'thank you for calling how can I help you today' },
    { role: 'customer', text: 'I lost my card yesterday and I think somebody stole it' },
    { role: 'agent', text: 'this fund gives you guaranteed returns every year' },
  ]);
  const page = await env.browser.newPage({ viewport: { width: 1440, height: 900 } });
  // Keep the page's WebSockets reachable so the test can drop the agent's connection mid-call.
  await page.addInitScript(`{
    const Native = window.WebSocket;
    window.__sockets = [];
    window.WebSocket = class extends Native { constructor(...args) { super(...args); window.__sockets.push(this); } };
  }`);
  await signInPage(page, env.stack, 'agent-1', 'agent');
  await page.getByRole('log', { name: 'Live transcript' }).waitFor();

  const replay = replayCall({ serverUrl: env.stack.wsUrl, agentId: 'agent-1', callId: 'browser-assist-1', callerNumber: '+14155550199', stereoWav: call.path, speed: 1 });
  await page.locator('[data-role="customer"][data-state="final"]', { hasText: 'card' }).waitFor({ timeout: 20_000 });
  // A network blip: the socket closes under the desk while the call goes on.
  await page.evaluate('window.__sockets.at(-1).close()');
  await page.waitForFunction('window.__sockets.length === 2 && window.__sockets[1].readyState === 1', undefined, { timeout: 10_000 });
  await page.locator('[data-status="live"]').waitFor({ timeout: 5000 });
  await page.getByTestId('intent').waitFor({ timeout: 10_000 });
  await page.getByTestId('emotion').waitFor({ timeout: 10_000 });
  const card = page.locator('[data-article-id]').first();
  await card.waitFor({ timeout: 10_000 });
  await page.locator('[data-rule-id="no-promised-returns"]').waitFor({ timeout: 20_000 });
  await replay;
  await page.getByText('Call ended').waitFor({ timeout: 10_000 });

  // Caught up without duplicates: the desk shows each stored final exactly once.
  const stored = (await (await fetch(`${env.stack.httpUrl}/api/calls/browser-assist-1`, { headers: await env.stack.authHeaders('agent-1', 'agent') })).json()) as { utterances: Array<{ utteranceId: string }> };
  const shown = await page.locator('[data-state="final"]').evaluateAll((rows) => rows.map((r) => (r as unknown as { dataset: { utteranceId: string } }).dataset.utteranceId));
  assert.deepEqual([...shown].sort(), stored.utterances.map((u) => u.utteranceId).sort());
  assert.ok(shown.length >= 3, `every line of the call shown: ${shown.length}`);

  assert.match(await page.getByTestId('intent').innerText(), /card/i, 'the intent names the card problem');
  assert.match(await page.locator('[data-rule-id="no-promised-returns"]').innerText(), /guarantee/i, 'the warning quotes what was heard');

  // Expanding a suggestion fetches and shows its article body.
  const articleId = await card.getAttribute('data-article-id');
  assert.ok(articleId);
  await card.getByRole('button', { name: 'Article' }).click();
  const body = card.getByTestId('article-body');
  await body.waitFor({ timeout: 5000 });
  const expected = (await (await fetch(`${env.stack.httpUrl}/api/kb/articles/${articleId}`, { headers: await env.stack.authHeaders('agent-1', 'agent') })).json()) as { article: { body: string } };
  const shownItems = (await body.locator('li').allInnerTexts()).map((t) => t.trim());
  const bodyItems = expected.article.body.split('\n').map((l) => l.replace(/^\s*-\s+/, '').trim()).filter(Boolean);
  assert.deepEqual(shownItems, bodyItems, 'the article body is shown, one bullet per line');

  // Alt+1 marks the first suggestion used (the button advertises the shortcut).
  const used = card.getByRole('button', { name: /^Used/ });
  assert.equal(await used.getAttribute('aria-keyshortcuts'), 'Alt+1');
  await page.keyboard.press('Alt+Digit1');
  await page.locator(`[data-article-id="${articleId}"] button[aria-pressed="true"]`).waitFor({ timeout: 5000 });

  // Alt+S opens the summary for transfer: the server's masked handover note.
  await page.keyboard.press('Alt+KeyS');
  const summary = page.getByTestId('transfer-summary');
  await summary.waitFor({ timeout: 5000 });
  const note = await (await fetch(`${env.stack.httpUrl}/api/calls/browser-assist-1/summary?format=text`, { headers: await env.stack.authHeaders('agent-1', 'agent') })).text();
  // The archive job may finish between the two reads: the status word is the only part allowed to move on.
  const settled = (text: string) => text.trim().replace(/\((ended|archived)\)\./, '(ended).');
  assert.equal(settled(await summary.innerText()), settled(note));
  assert.doesNotMatch(note, /4155550199/, 'the note is masked');
  assert.deepEqual(await seriousViolations(page), [], 'no serious/critical violations with the summary dialog open');
  await page.keyboard.press('Escape');
  await summary.waitFor({ state: 'detached', timeout: 5000 });

  const violations = await seriousViolations(page);
  mkdirSync(join(REPO_ROOT, 'test-results'), { recursive: true });
  await page.screenshot({ path: join(REPO_ROOT, 'test-results/agent-desk-assist.png') });
  assert.equal(violations.length, 0, `axe found serious/critical violations on the desk:\n${describe(violations)}`);

  // An agent's top bar links no other screen, and a typed #/review still shows the agent's desk.
  assert.equal(await page.getByRole('navigation', { name: 'Screens' }).count(), 0);
  await page.getByTestId('signed-in-user').waitFor();
  await page.evaluate(`location.hash = '#/review'`);
  await page.waitForURL(/#\/review$/);
  await page.getByRole('log', { name: 'Live transcript' }).waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Agent desk' }).count(), 1);
  await page.close();
});
