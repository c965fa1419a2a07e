import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseCsv } from './csv-table.ts';
import { loadPack, parseIntentsYaml, parseUtteranceCsv, PackError } from './intent-pack.ts';

const noAssets = async (id: string): Promise<string> => {
  throw new Error(`no asset ${id} in this test`);
};

test('CSV: quoted fields with commas, doubled quotes and newlines; CRLF; BOM; blank lines', () => {
  const { rows, lines } = parseCsv('\ufefftext,category\r\n"Hi, it says ""pending""",pending\r\n\r\n"two\nlines",x\nplain,y');
  assert.deepEqual(rows, [['text', 'category'], ['Hi, it says "pending"', 'pending'], ['two\nlines', 'x'], ['plain', 'y']]);
  assert.deepEqual(lines, [1, 2, 4, 6]);
});

test('a text,label CSV (BANKING77 style header) gives utterances; bad rows are named by line', () => {
  assert.deepEqual(parseUtteranceCsv('text,category\nI lost my card,lost_or_stolen_card\n"Card, where?",card_arrival\n'), [
    { text: 'I lost my card', label: 'lost_or_stolen_card' },
    { text: 'Card, where?', label: 'card_arrival' },
  ]);
  const bad = (csv: string, pattern: RegExp) => assert.throws(() => parseUtteranceCsv(csv, 'p.csv'), (e: Error) => e instanceof PackError && pattern.test(e.message), csv);
  bad('text,label\nhello, there,greeting\n', /p\.csv line 2: 3 fields, expected 2 .*double quotes/);
  bad('text,label\nhello,\n', /line 2: the label is empty/);
  bad('text,label\n"never closed,x\n', /line 2: a quoted field is never closed/);
  bad('text,label\n', /no utterances/);
  bad('', /empty/);
  bad('text\nhello\n', /header has 1 column/);
});

test('YAML intents with examples; schema errors say where', () => {
  const yaml = 'intents:\n  - name: block_card\n    examples: [block my card, freeze my card]\n  - name: balance\n    examples:\n      - what is my balance\n';
  assert.deepEqual(parseIntentsYaml(yaml), [
    { text: 'block my card', label: 'block_card' },
    { text: 'freeze my card', label: 'block_card' },
    { text: 'what is my balance', label: 'balance' },
  ]);
  assert.throws(() => parseIntentsYaml('intents:\n  - name: x\n    examples: hello\n', 'site.yaml'), /site\.yaml: intents\.0\.examples: .*expected intents: \[\{ name, examples/);
  assert.throws(() => parseIntentsYaml('intents: [\n', 'site.yaml'), /site\.yaml: not valid YAML/);
  assert.throws(() => parseIntentsYaml('intent:\n  - x\n', 'site.yaml'), /site\.yaml: intents: /);
});

test('pack.json: file sources relative to the pack, a fixed label, clinc150 lists filtered by domain', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ep-pack-'));
  writeFileSync(join(dir, 'core.csv'), 'text,label\nblock my card,block_card\nwhat is my balance,balance\n');
  writeFileSync(join(dir, 'smalltalk.yaml'), 'intents:\n  - name: chat\n    examples: [nice weather today]\n');
  writeFileSync(join(dir, 'clinc.json'), JSON.stringify({ train: [['play a song', 'play_music'], ['play another', 'play_music'], ['what is my apr', 'apr'], ['set an alarm', 'alarm']], oos_val: [['how tall is everest', 'oos']] }));
  writeFileSync(join(dir, 'domains.json'), JSON.stringify({ home: ['play_music'], credit_cards: ['apr'], utility: ['alarm'] }));
  const assets: Record<string, string> = { clinc: join(dir, 'clinc.json'), domains: join(dir, 'domains.json') };
  writeFileSync(
    join(dir, 'pack.json'),
    JSON.stringify({
      name: 'site',
      train: [
        { file: 'core.csv' },
        { file: 'smalltalk.yaml', label: 'oos' },
        { asset: 'clinc', format: 'clinc150', lists: ['train'], label: 'oos', domainsAsset: 'domains', excludeDomains: ['credit_cards'], perIntent: 1 },
      ],
      eval: [{ asset: 'clinc', format: 'clinc150', lists: ['oos_val'] }],
    }),
  );
  const pack = await loadPack(join(dir, 'pack.json'), async (id) => assets[id]!);
  assert.equal(pack.name, 'site');
  assert.deepEqual(
    pack.train.map((u) => [u.text, u.label]),
    [['block my card', 'block_card'], ['what is my balance', 'balance'], ['nice weather today', 'oos'], ['play a song', 'oos'], ['set an alarm', 'oos']],
  );
  assert.deepEqual(pack.eval.map((u) => [u.label, u.source]), [['oos', 'clinc:oos_val']]);
});

test('bad packs are refused with the reason', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ep-pack-'));
  const write = (name: string, body: unknown) => {
    writeFileSync(join(dir, name), typeof body === 'string' ? body : JSON.stringify(body));
    return join(dir, name);
  };
  await assert.rejects(loadPack(write('one.csv', 'text,label\nhi,greet\nhello,greet\n'), noAssets), /at least two intents/);
  assert.equal((await loadPack(join(dir, 'one.csv'), noAssets, 'eval')).train.length, 2, 'one label is fine to evaluate on');
  await assert.rejects(loadPack(write('p.json', { name: 'Bad Name', train: [] }), noAssets), /name: lowercase letters.*train: /);
  await assert.rejects(loadPack(write('q.json', { name: 'x', train: [{ file: 'a.csv', asset: 'b' }] }), noAssets), /exactly one of "file" or "asset"/);
  await assert.rejects(loadPack(write('r.json', { name: 'x', train: [{ file: 'missing.csv' }] }), noAssets), /cannot read .*missing\.csv: ENOENT/);
  await assert.rejects(loadPack(write('pack.txt', 'hello'), noAssets), /unknown pack file type/);
});
