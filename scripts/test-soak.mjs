#!/usr/bin/env node
// `npm run test:soak`: the long runs of the resilience suites, with EARPIECE_SOAK=1 (each test file reads
// it: full fuzz case counts, longer outages, more calls). Runs, per workspace package, the fault tests
// (assist-server/e2e/fault-*.test.ts) and every property-based fuzz test (*.fuzz.test.ts), one file at
// a time. Usage: node scripts/test-soak.mjs [--only SUBSTRING]
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = join(import.meta.dirname, '..');
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const soakFile = (name, dir) => name.endsWith('.fuzz.test.ts') || (/^fault-.*\.test\.ts$/.test(name) && dir.endsWith('e2e'));

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (soakFile(name, dir)) out.push(p);
  }
  return out;
}

let failed = 0;
let ran = 0;
for (const pkg of ['assist-server', 'telephony-bridge', 'agent-ui']) {
  const cwd = join(root, pkg);
  const files = ['src', 'e2e']
    .filter((d) => existsSync(join(cwd, d)))
    .flatMap((d) => walk(join(cwd, d), []))
    .map((f) => relative(cwd, f))
    .filter((f) => !only || f.includes(only))
    .sort();
  if (!files.length) continue;
  ran += files.length;
  console.log(`\n[test:soak] ${pkg}: ${files.join(', ')}`);
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
    cwd,
    stdio: 'inherit',
    env: { ...process.env, EARPIECE_SOAK: '1', NODE_ENV: 'test' },
  });
  if (run.status !== 0) failed++;
}
if (!ran) {
  console.error('[test:soak] no fault or fuzz test files found');
  process.exit(1);
}
process.exit(failed ? 1 : 0);
