#!/usr/bin/env node
// `npm run setup`: everything Earpiece needs on a fresh Debian/Ubuntu machine. Idempotent: each
// step checks before it acts, so running it again is cheap. Plain Node (no dependencies): it runs
// before `npm ci`.
//   1. Debian packages (apt-get when root; otherwise prints the exact command and exits 1)
//   2. npm ci (skipped when node_modules matches package-lock.json)
//   3. assets from models/manifest.json (speech models, training data; EARPIECE_ASSET_MIRROR for offline sites)
//   4. the text models (intent: models/packs/banking; emotion: GoEmotions), trained when missing
//   5. the agent UI build
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const STEPS = 5;
let step = 0;
const say = (msg) => console.log(`\n[setup ${++step}/${STEPS}] ${msg}`);
const ok = (msg) => console.log(`  ✓ ${msg}`);

// Runtime: speech (PocketSphinx + its English model), audio tools, Redis. Tests: SIPp, Chromium, and
// PostgreSQL (the store tests' PostgreSQL variants start a throwaway server from its binaries; a site
// running on PostgreSQL points DATABASE_URL at its own server).
const DEBIAN_PACKAGES = [
  'redis-server',
  'sox',
  'flite',
  'libpocketsphinx3',
  'pocketsphinx',
  'pocketsphinx-en-us',
  'sip-tester',
  'chromium',
  'postgresql',
];

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (res.status !== 0) {
    console.error(`\nsetup failed: ${cmd} ${args.join(' ')} exited with ${res.status ?? res.signal}`);
    process.exit(res.status || 1);
  }
}

function missingDebianPackages() {
  return DEBIAN_PACKAGES.filter((pkg) => {
    try {
      return !execFileSync('dpkg-query', ['-W', '-f=${Status}', pkg], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().includes('install ok installed');
    } catch {
      return true; // not known to dpkg: not installed
    }
  });
}

// 1. Debian packages
say('Debian packages');
if (Number(process.versions.node.split('.')[0]) < 20) {
  console.error(`Earpiece needs Node.js 20 or newer (this is ${process.version}).`);
  process.exit(1);
}
const missing = existsSync('/usr/bin/dpkg-query') ? missingDebianPackages() : [];
if (!existsSync('/usr/bin/dpkg-query')) {
  console.log('  ! not a Debian/Ubuntu system: install these yourself: ' + DEBIAN_PACKAGES.join(' '));
} else if (missing.length === 0) {
  ok(`all ${DEBIAN_PACKAGES.length} present`);
} else if (process.getuid?.() === 0) {
  console.log(`  installing: ${missing.join(' ')}`);
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  ok('installed');
} else {
  console.error(`  missing Debian packages: ${missing.join(' ')}\n  Run this as root, then run npm run setup again:\n\n    sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}\n`);
  process.exit(1);
}

// 2. npm ci
say('npm packages');
const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules/.package-lock.json');
const upToDate = existsSync(installed) && existsSync(lock) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs && existsSync(join(root, 'node_modules/.bin/earpiece'));
if (upToDate) {
  ok('node_modules matches package-lock.json');
} else {
  // onnxruntime-node's install script would fetch GPU bits from a host we cannot reach; its CPU build ships in the package.
  run('npm', ['ci', '--no-fund', '--no-audit'], { env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' } });
  ok('installed');
}

// 3. assets (speech models, training data)
say('models and data (models/manifest.json)');
if (process.env.EARPIECE_ASSET_MIRROR) console.log(`  mirror: ${process.env.EARPIECE_ASSET_MIRROR}`);
run(process.execPath, ['--import', 'tsx', join(root, 'scripts/fetch-assets.ts')]);

// 4. text models: each `train` skips a version (data + settings + seed) that is already trained
say('text models (intent, emotion)');
for (const [kind, args] of [
  ['intent', ['intent', 'train', '--data', 'models/packs/banking/pack.json']],
  ['emotion', ['emotion', 'train']],
]) {
  const res = spawnSync('npx', ['--no-install', 'earpiece', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (res.status !== 0) {
    console.error(`\nsetup failed: earpiece ${args.join(' ')} exited with ${res.status ?? res.signal}`);
    process.exit(res.status || 1);
  }
  const out = JSON.parse(res.stdout);
  ok(`${kind} model ${out.version} ${out.skipped ? '(already trained)' : `trained in ${out.metrics.trainingSeconds} s`}`);
}

// 5. agent UI
say('agent UI build');
run('npm', ['run', 'build', '--silent', '-w', '@earpiece/agent-ui']);
ok('agent-ui/dist ready');

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
console.log(`\nEarpiece ${manifest.version} is set up. Start it with: npm start   (tests: npm test)`);
