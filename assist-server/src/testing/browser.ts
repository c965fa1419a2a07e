/**
 * Real Chromium for browser tests and benchmarks: Debian's /usr/bin/chromium driven by
 * playwright-core (never `playwright install`), axe-core accessibility checks inside the page, and
 * the folder screenshots go to.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT } from '../config.ts';
import type { Role } from '../auth/roles.ts';
import { startTestStack, TEST_USER_PASSWORD, type TestStack } from './test-stack.ts';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Where browser tests save screenshots for a person to look at (gitignored). */
export const TEST_RESULTS_DIR = join(REPO_ROOT, 'test-results');

export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  mkdirSync(TEST_RESULTS_DIR, { recursive: true });
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extraArgs] });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

let axeSource: string | undefined;

/** Runs axe-core in the page; returns its serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.addScriptTag({ content: axeSource });
  // A plain script string: functions compiled by tsx carry helpers (__name) the page does not have.
  const result = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] })`)) as { violations: AxeViolation[] };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export const describeViolations = (violations: AxeViolation[]): string =>
  violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n');

/** A whole node serving the built agent UI, and a browser to look at it; `close` stops both. */
export async function startBrowserStack(chromiumArgs: string[] = []): Promise<{ stack: TestStack; browser: Browser; close(): Promise<void> }> {
  if (!existsSync(join(REPO_ROOT, 'agent-ui/dist/index.html'))) throw new Error('agent UI not built: run npm run setup');
  const stack = await startTestStack();
  const browser = await launchChromium(chromiumArgs).catch(async (err: Error) => {
    await stack.close();
    throw err;
  });
  return {
    stack,
    browser,
    async close() {
      await browser.close();
      await stack.close();
    },
  };
}

/**
 * Starts a whole stack and Chromium before this test file's tests and closes both after them.
 * Read `stack` and `browser` inside tests (they exist once `before` has run).
 */
export function useBrowserStack(chromiumArgs: string[] = []): { readonly stack: TestStack; readonly browser: Browser } {
  let started: Awaited<ReturnType<typeof startBrowserStack>> | undefined;
  before(async () => {
    started = await startBrowserStack(chromiumArgs);
  });
  after(async () => started?.close());
  const get = () => {
    if (!started) throw new Error('useBrowserStack: the stack is not started (read it inside a test)');
    return started;
  };
  return {
    get stack() {
      return get().stack;
    },
    get browser() {
      return get().browser;
    },
  };
}

/**
 * Signs `page` in as `username` (made with `role` on first use): through the sign-in form at `path`
 * (`viaForm`, as a person does), else by handing the browser a session cookie; then opens `path`.
 */
export async function signInPage(page: Page, stack: TestStack, username: string, role: Role, path = '/#/', options: { viaForm?: boolean } = {}): Promise<void> {
  const session = await stack.signIn(username, role);
  if (!options.viaForm) {
    await page.context().addCookies([session.cookie]);
    await page.goto(`${stack.httpUrl}${path}`);
    return;
  }
  await page.goto(`${stack.httpUrl}${path}`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(TEST_USER_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-user').waitFor({ timeout: 10_000 });
}
