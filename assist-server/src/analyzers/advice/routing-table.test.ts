import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pino from 'pino';
import { REPO_ROOT } from '../../config.ts';
import { RoutingTable, RoutingTableFile, RoutingValidationError } from './routing-table.ts';

const DEFAULT_PATH = join(REPO_ROOT, 'models/packs/banking/routing.yaml');
const dir = mkdtempSync(join(tmpdir(), 'earpiece-routing-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the default banking table validates and routes only known intents', () => {
  const table = RoutingTable.parse(readFileSync(DEFAULT_PATH, 'utf8'));
  const labels = new Set<string>(JSON.parse(readFileSync(join(REPO_ROOT, 'models/trained/intent', JSON.parse(readFileSync(join(REPO_ROOT, 'models/trained/intent/current.json'), 'utf8')).version, 'labels.json'), 'utf8')));
  for (const spec of Object.values(table.file.queues)) for (const i of spec.intents) assert.ok(labels.has(i), `${i} is an intent of the default model`);
  for (const s of table.file.selfService) assert.ok(labels.has(s.intent), `${s.intent} is an intent of the default model`);
  assert.deepEqual(table.transferFor('compromised_card'), { queue: 'fraud', title: 'Fraud team' });
  assert.equal(table.transferFor('card_arrival'), undefined, 'home-queue intents are not transferred');
  assert.match(table.selfServiceFor('activate_my_card') ?? '', /app/);
  assert.ok(table.escalationPhrases.length > 0);
});

test('an intent routed to two queues, or the home queue listed, is refused with the problem named', () => {
  const bad = `version: 1\nhomeQueue: general\nqueues:\n  a: { title: A, intents: [x] }\n  b: { title: B, intents: [x] }\n  general: { title: G, intents: [y] }\n`;
  assert.throws(
    () => RoutingTable.parse(bad),
    (err: unknown) => err instanceof RoutingValidationError && err.problems.some((p) => /x is already routed to a/.test(p)) && err.problems.some((p) => /home queue/.test(p)),
  );
});

test('a changed file applies from the next read; a broken one keeps the table before it', () => {
  const path = join(dir, 'routing.yaml');
  writeFileSync(path, 'version: 1\nhomeQueue: general\nqueues:\n  fraud: { title: Fraud, intents: [compromised_card] }\n');
  const file = RoutingTableFile.open(path, pino({ level: 'silent' }));
  assert.equal(file.current.transferFor('compromised_card')?.queue, 'fraud');
  writeFileSync(path, 'version: 2\nhomeQueue: general\nqueues:\n  security: { title: Security, intents: [compromised_card] }\n');
  utimesSync(path, new Date(), new Date(Date.now() + 5000));
  assert.equal(file.current.transferFor('compromised_card')?.queue, 'security');
  assert.equal(file.current.version, '2');
  writeFileSync(path, 'version: 3\nhomeQueue: [not, a, queue]\n');
  utimesSync(path, new Date(), new Date(Date.now() + 10_000));
  assert.equal(file.current.version, '2', 'the bad file is ignored');
  assert.equal(file.current.transferFor('compromised_card')?.queue, 'security');
});
