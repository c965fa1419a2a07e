/**
 * The reviewer replay in a real browser (Debian chromium via playwright-core) against a whole
 * running node. A short synthesized call is replayed through the bridge and archived; the reviewer
 * finds it by full-text search, opens it, presses play and watches the highlighted word advance,
 * clicks a later word and playback jumps there, and saves a QA scorecard. axe-core finds no
 * serious or critical violations; the audit log has the opening, the replay and the scorecard.
 * Saves test-results/reviewer-replay.png.
 *
 * Headless chromium plays audio without a sound card (to a null sink) given
 * --autoplay-policy=no-user-gesture-required; the media element's clock advances as in a desktop.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { replayCall } from '@earpiece/telephony-bridge';
import type { AuditEntry } from '../src/protocol/index.ts';
import { describeViolations, seriousViolations, signInPage, useBrowserStack, TEST_RESULTS_DIR } from '../src/testing/browser.ts';
import { synthesizeCall } from '../src/testing/speech-audio.ts';

const RESULTS = TEST_RESULTS_DIR;

const env = useBrowserStack(['--autoplay-policy=no-user-gesture-required']);

// Plain script strings in page.evaluate: functions compiled by tsx carry helpers (__name) the page does not have.
const describe = describeViolations;

const CURRENT_WORD = `(() => { const w = document.querySelector('.replay-word-current'); return w ? { word: w.textContent, startMs: Number(w.dataset.startMs) } : null; })()`;
const AUDIO_TIME = `document.querySelector('[data-testid="replay-audio"]').currentTime`;

test('a reviewer finds the archived call, replays it with the transcript following, seeks by word and scores it', async () => {
  const callId = 'review-1';
  const call = await synthesizeCall([
    { role: 'agent', text: 'thank you for calling how can I help you today' },
    { role: 'customer', text: 'I would like to check the balance of my account' },
  ]);
  await replayCall({ serverUrl: env.stack.wsUrl, agentId: 'agent-1', callId, callerNumber: '+14155550142', stereoWav: call.path, speed: 'max' });
  const archive = await env.stack.node.postCall.waitForArchive(callId, 20_000);
  assert.equal(archive.recordings.length, 2);

  const page = await env.browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await signInPage(page, env.stack, 'rita', 'reviewer', '/#/review', { viaForm: true });

  // Find it by what the customer said.
  await page.getByRole('searchbox', { name: 'Search transcripts' }).fill('balance');
  await page.getByRole('button', { name: 'Find calls' }).click();
  const row = page.locator(`tr[data-call-id="${callId}"]`);
  await row.locator('mark', { hasText: 'balance' }).waitFor({ timeout: 10_000 });
  const listViolations = await seriousViolations(page);
  assert.equal(listViolations.length, 0, `axe found serious/critical violations on the call list:\n${describe(listViolations)}`);
  await row.getByRole('link', { name: callId }).click();
  await page.waitForURL(new RegExp(`#/review/${callId}$`));

  // The call page: transcript, timeline, recording ready.
  const transcript = page.locator('.replay-utterances');
  await transcript.locator('[data-role="customer"]', { hasText: 'balance' }).waitFor({ timeout: 10_000 });
  const play = page.getByRole('button', { name: 'Play' });
  await page.waitForFunction(`!document.querySelector('.replay-controls button').disabled`, undefined, { timeout: 10_000 });

  // Press play: the highlighted word advances with the recording.
  await play.click();
  const first = await page.waitForFunction(CURRENT_WORD, undefined, { timeout: 10_000 }).then((h) => h.jsonValue() as Promise<{ word: string; startMs: number }>);
  const later = await page
    .waitForFunction(`(() => { const w = ${CURRENT_WORD}; return w && w.startMs > ${first.startMs} ? w : null; })()`, undefined, { timeout: 10_000 })
    .then((h) => h.jsonValue() as Promise<{ word: string; startMs: number }>);
  assert.ok(later.startMs > first.startMs, `highlight moved on from "${first.word}" to "${later.word}"`);
  assert.ok(((await page.evaluate(AUDIO_TIME)) as number) > 0, 'the media element is playing');

  // Click a later word: playback jumps there and the highlight follows.
  const target = transcript.locator('[data-role="customer"] .replay-word', { hasText: 'account' }).last();
  const targetMs = Number(await target.getAttribute('data-start-ms'));
  assert.ok(targetMs > later.startMs + 500, 'the clicked word lies well after the playback position');
  await target.click();
  const jumpedTo = (await page.evaluate(AUDIO_TIME)) as number;
  assert.ok(Math.abs(jumpedTo - targetMs / 1000) < 0.25, `playback at ${jumpedTo} s after clicking a word at ${targetMs / 1000} s`);
  await page.waitForFunction(`(() => { const w = ${CURRENT_WORD}; return w && w.startMs >= ${targetMs}; })()`, undefined, { timeout: 5000 });

  // Score the call.
  for (const [criterion, score] of [['Greeting', '5'], ['Verification', 'n/a'], ['Accuracy', '4'], ['Empathy', '4'], ['Compliance', '5'], ['Resolution', '3']] as const) {
    await page.getByRole('group', { name: criterion }).getByRole('radio', { name: score, exact: true }).check();
  }
  await page.getByRole('textbox', { name: 'Comment' }).fill('Clear greeting; balance not yet given.');
  await page.getByRole('button', { name: 'Save scorecard' }).click();
  await page.getByRole('status').getByText(/^Saved at /).waitFor({ timeout: 5000 });

  const violations = await seriousViolations(page);
  assert.equal(violations.length, 0, `axe found serious/critical violations on the call page:\n${describe(violations)}`);
  await page.evaluate(`document.getElementById('main-content').scrollTo(0, 0)`);
  await page.screenshot({ path: join(RESULTS, 'reviewer-replay.png'), fullPage: true });
  assert.deepEqual(pageErrors, []);
  await page.close();

  const saved = (await (await fetch(`${env.stack.httpUrl}/api/review/calls/${callId}/scorecard`, { headers: await env.stack.authHeaders('rita', 'reviewer') })).json()) as { scorecard: { scores: Record<string, unknown>; comment: string } };
  assert.deepEqual(saved.scorecard.scores, { greeting: 5, verification: 'n/a', accuracy: 4, empathy: 4, compliance: 5, resolution: 3 });
  const { entries } = (await (await fetch(`${env.stack.httpUrl}/api/admin/audit?callId=${callId}`, { headers: await env.stack.authHeaders() })).json()) as { entries: AuditEntry[] };
  const actions = entries.map((e) => `${e.actor}: ${e.action}`).reverse();
  assert.deepEqual(actions, ['rita: call.opened', 'rita: recording.replayed', 'rita: scorecard.saved']);
});
