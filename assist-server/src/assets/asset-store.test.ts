import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { assetFile, ensureAsset, isInstalled, type AssetSpec } from './asset-store.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function fixture() {
  const dir = mkdtempSync(join(tmpdir(), 'ep-assets-'));
  const repoRoot = join(dir, 'repo');
  const mirrorDir = join(dir, 'mirror');
  mkdirSync(join(mirrorDir, 'data/set'), { recursive: true });
  const csv = Buffer.from('text,category\nmy card is lost,lost_or_stolen_card\n');
  writeFileSync(join(mirrorDir, 'data/set/train.csv'), csv);
  // A zip holding one top-level folder, as Vosk model archives do (python3's zipfile: no zip CLI needed).
  mkdirSync(join(dir, 'src/model-x/conf'), { recursive: true });
  writeFileSync(join(dir, 'src/model-x/conf/model.conf'), '--endpoint.rule2.min-trailing-silence=0.5\n');
  mkdirSync(join(mirrorDir, 'models'), { recursive: true });
  execFileSync('python3', ['-c', 'import shutil,sys; shutil.make_archive(sys.argv[1], "zip", sys.argv[2], "model-x")', join(mirrorDir, 'models/model-x'), join(dir, 'src')]);
  const zip = readFileSync(join(mirrorDir, 'models/model-x.zip'));
  const csvAsset: AssetSpec = { id: 'set', kind: 'data', description: '', url: 'http://127.0.0.1:1/train.csv', path: 'data/set/train.csv', sizeBytes: csv.length, sha256: sha(csv), unpack: 'none', installDir: 'models/cache/set' };
  const zipAsset: AssetSpec = { id: 'model-x', kind: 'speech-model', description: '', url: 'http://127.0.0.1:1/model-x.zip', path: 'models/model-x.zip', sizeBytes: zip.length, sha256: sha(zip), unpack: 'zip', installDir: 'models/cache/model-x' };
  return { repoRoot, mirrorDir, csv, zip, csvAsset, zipAsset };
}

test('assets install from the mirror, verified, and a second run is a no-op', async () => {
  const f = fixture();
  const first = await ensureAsset(f.zipAsset, { repoRoot: f.repoRoot, mirrorDir: f.mirrorDir });
  assert.equal(first.source, 'mirror');
  assert.match(readFileSync(join(first.dir, 'conf/model.conf'), 'utf8'), /min-trailing-silence/); // unpacked from its top folder
  assert.equal((await ensureAsset(f.zipAsset, { repoRoot: f.repoRoot, mirrorDir: f.mirrorDir })).source, 'installed');
  const csv = await ensureAsset(f.csvAsset, { repoRoot: f.repoRoot, mirrorDir: f.mirrorDir });
  assert.deepEqual(readFileSync(join(csv.dir, 'train.csv')), f.csv);
});

test('a file whose size or sha256 differs from the manifest is refused', async () => {
  const f = fixture();
  await assert.rejects(ensureAsset({ ...f.csvAsset, sizeBytes: f.csv.length + 1 }, { repoRoot: f.repoRoot, mirrorDir: f.mirrorDir }), (e: Error & { code?: string }) => e.code === 'EARPIECE_ASSET_SIZE');
  const wrong = { ...f.csvAsset, sha256: '0'.repeat(64) };
  await assert.rejects(ensureAsset(wrong, { repoRoot: f.repoRoot, mirrorDir: f.mirrorDir }), (e: Error & { code?: string }) => e.code === 'EARPIECE_ASSET_CHECKSUM');
  assert.equal(await isInstalled(wrong, f.repoRoot), false);
});

test('without a mirror the asset is downloaded with progress (loopback HTTP server as the upstream)', async () => {
  const f = fixture();
  const server = createServer((req, res) => {
    if (req.url !== '/model-x.zip') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-length': String(f.zip.length) }).end(f.zip);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/model-x.zip`;
  const progress: number[] = [];
  try {
    const got = await ensureAsset({ ...f.zipAsset, url }, { repoRoot: f.repoRoot, onProgress: (_a, done) => progress.push(done) });
    assert.equal(got.source, 'download');
    assert.equal(progress.at(-1), f.zip.length);
  } finally {
    server.close();
  }
});

test('an unreachable upstream names the mirror fix', async () => {
  const f = fixture();
  await assert.rejects(
    ensureAsset(f.csvAsset, { repoRoot: f.repoRoot }),
    (e: Error & { code?: string }) => e.code === 'EARPIECE_ASSET_UNREACHABLE' && e.message.includes('EARPIECE_ASSET_MIRROR'),
  );
});

test('an extract asset is cut out of a larger upstream JSON file and verified; sharedDir assets sit side by side', async () => {
  const f = fixture();
  const whole = { train: [['caf\u00e9 \u2019hours\u2019', 'x']], oos_val: [['a "q"\n', 'oos']], unused: [1, 2] };
  const subset = Buffer.from('{"train": [["caf\\u00e9 \\u2019hours\\u2019", "x"]], "oos_val": [["a \\"q\\"\\n", "oos"]]}'); // Python json.dumps form
  const server = createServer((req, res) => {
    if (req.url !== '/data_full.json') return void res.writeHead(404).end();
    res.writeHead(200).end(JSON.stringify(whole));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/data_full.json`;
  const subsetAsset: AssetSpec = { id: 'sub', kind: 'training-data', description: '', url, path: 'data/set/train_val.json', sizeBytes: subset.length, sha256: sha(subset), unpack: 'none', installDir: 'models/cache/set', sharedDir: true, extract: { jsonKeys: ['train', 'oos_val'] } };
  try {
    const got = await ensureAsset(subsetAsset, { repoRoot: f.repoRoot });
    assert.equal(got.source, 'download');
    assert.deepEqual(readFileSync(assetFile(subsetAsset, f.repoRoot)), subset);
    await assert.rejects(ensureAsset({ ...subsetAsset, id: 'sub2', sha256: '0'.repeat(64) }, { repoRoot: f.repoRoot }), (e: Error & { code?: string }) => e.code === 'EARPIECE_ASSET_CHECKSUM');
  } finally {
    server.close();
  }
  const csv = { ...f.csvAsset, sharedDir: true };
  await ensureAsset(csv, { repoRoot: f.repoRoot, mirrorDir: f.mirrorDir });
  assert.ok(await isInstalled(subsetAsset, f.repoRoot), 'installing a second file into the dir keeps the first');
  assert.deepEqual(readFileSync(assetFile(csv, f.repoRoot)), f.csv);
});
