/**
 * The agent UI in a real browser (Debian chromium driven by playwright-core) against a whole
 * running node: the agent signs in, a synthesized call is replayed by the bridge, and the
 * transcript appears on screen: partials first, then finals, on the right speaker.
 * Saves a screenshot to test-results/agent-desk.png.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { replayCall } from '@earpiece/telephony-bridge';
import { REPO_ROOT } from '../src/config.ts';
import { signInPage, useBrowserStack } from '../src/testing/browser.ts';
import { synthesizeCall } from '../src/testing/speech-audio.ts';

const env = useBrowserStack();

const RECORD_TRANSCRIPT_STATES = `
  window.__seen = [];
  const record = (el) => el && el.dataset && el.dataset.state &&
    window.__seen.push({ role: el.dataset.role ?? null, state: el.dataset.state, text: el.textContent ?? '' });
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      const target = m.target.nodeType === 1 ? m.target : m.target.parentElement;
      record(target && target.closest('[data-state]'));
      m.addedNodes.forEach((n) => n.nodeType === 1 && (n.matches('[data-state]') ? record(n) : n.querySelectorAll('[data-state]').forEach(record)));
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-state'] });
`;

interface SeenRow {
  role: string | null;
  state: string | null;
  text: string;
}

test('the agent signs in and watches the live transcript appear', async () => {
  const call = await synthesizeCall([
    { role: 'agent', text: 'thank you for calling how can I help you today' },
    { role: 'customer', text: 'I would like to check the balance of my account' },
  ]);
  const page = await env.browser.newPage();
  await signInPage(page, env.stack, 'agent-1', 'agent', '/', { viaForm: true });
  const log = page.getByRole('log', { name: 'Live transcript' });
  await log.waitFor();

  // Record every state each transcript row passes through, so "partial before final" is observed, not raced.
  // A plain script string: functions compiled by tsx carry helpers (__name) the page does not have.
  await page.evaluate(RECORD_TRANSCRIPT_STATES);

  const replay = replayCall({ serverUrl: env.stack.wsUrl, agentId: 'agent-1', callId: 'browser-1', callerNumber: '+14155550142', stereoWav: call.path, speed: 1 });
  const customerFinal = page.locator('[data-role="customer"][data-state="final"]', { hasText: 'balance' });
  await customerFinal.waitFor({ timeout: 30_000 });
  await page.locator('[data-role="agent"][data-state="final"]', { hasText: 'calling' }).waitFor({ timeout: 10_000 });
  await replay;

  const seen = (await page.evaluate('window.__seen')) as SeenRow[];
  const firstPartial = seen.findIndex((r) => r.role === 'customer' && r.state === 'partial');
  const firstFinal = seen.findIndex((r) => r.role === 'customer' && r.state === 'final');
  assert.ok(firstPartial >= 0, 'the customer utterance was shown as a partial');
  assert.ok(firstPartial < firstFinal, 'partial shown before it turned final');
  assert.match(await page.getByTestId('caller').innerText(), /0142/);
  assert.doesNotMatch(await page.getByTestId('caller').innerText(), /415/, 'caller number masked on screen');

  mkdirSync(join(REPO_ROOT, 'test-results'), { recursive: true });
  await page.screenshot({ path: join(REPO_ROOT, 'test-results/agent-desk.png'), fullPage: true });
  await page.close();
});
