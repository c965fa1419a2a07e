/**
 * Downloaded assets (speech models, training data): one mechanism for all of them.
 *
 * models/manifest.json names each asset's upstream URL, sha256 and relative `path`. An asset is
 * taken, in order, from: its install dir if already installed with the same sha256 (idempotent);
 * the mirror directory (EARPIECE_ASSET_MIRROR, for air-gapped sites and CI) at `<mirror>/<path>`;
 * or the upstream URL, downloaded to `models/cache/downloads/` with a progress bar. Size and
 * sha256 are checked on every source. Zip archives are unpacked into `installDir`; plain files are copied
 * to `installDir/<basename of path>`.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import extractZip from 'extract-zip';

export interface AssetSpec {
  id: string;
  kind: string;
  description: string;
  url: string;
  path: string;
  sizeBytes: number;
  sha256: string;
  unpack: 'zip' | 'none';
  installDir: string;
  optional?: boolean;
  optionalReason?: string;
}

export interface AssetStoreOptions {
  repoRoot: string;
  mirrorDir?: string | undefined;
  /** Called as bytes arrive: (done, total or undefined). */
  onProgress?: (asset: AssetSpec, doneBytes: number, totalBytes: number | undefined) => void;
  fetchImpl?: typeof fetch;
}

export type AssetSource = 'installed' | 'mirror' | 'download';

export class AssetError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'AssetError';
  }
}

const MARKER = '.earpiece-asset.json';

export async function loadManifest(repoRoot: string): Promise<AssetSpec[]> {
  const raw = JSON.parse(await readFile(join(repoRoot, 'models/manifest.json'), 'utf8')) as { assets: AssetSpec[] };
  return raw.assets;
}

/** The absolute install dir of an asset. */
export function assetInstallDir(asset: AssetSpec, repoRoot: string): string {
  return resolve(repoRoot, asset.installDir);
}

/** True when the asset is installed with the manifest's sha256. */
export async function isInstalled(asset: AssetSpec, repoRoot: string): Promise<boolean> {
  try {
    const marker = JSON.parse(await readFile(join(assetInstallDir(asset, repoRoot), MARKER), 'utf8')) as { sha256?: string };
    return marker.sha256 === asset.sha256;
  } catch {
    return false; // no marker yet: not installed
  }
}

/** Installs one asset if needed and says where it came from. */
export async function ensureAsset(asset: AssetSpec, options: AssetStoreOptions): Promise<{ dir: string; source: AssetSource }> {
  const dir = assetInstallDir(asset, options.repoRoot);
  if (await isInstalled(asset, options.repoRoot)) return { dir, source: 'installed' };

  let file: string;
  let source: AssetSource;
  const mirrored = options.mirrorDir ? join(options.mirrorDir, asset.path) : undefined;
  if (mirrored && existsSync(mirrored)) {
    file = mirrored;
    source = 'mirror';
  } else {
    file = await download(asset, options);
    source = 'download';
  }
  const size = (await stat(file)).size;
  if (size !== asset.sizeBytes) {
    throw new AssetError('EARPIECE_ASSET_SIZE', `${asset.id}: ${file} is ${size} bytes, the manifest expects ${asset.sizeBytes}. The download was cut short or the file is not the published one; delete it and run setup again.`);
  }
  const digest = await sha256File(file);
  if (digest !== asset.sha256) {
    throw new AssetError(
      'EARPIECE_ASSET_CHECKSUM',
      `${asset.id}: sha256 of ${file} is ${digest}, the manifest expects ${asset.sha256}. The file is corrupt or not the published one; delete it and run setup again.`,
    );
  }
  await install(asset, file, dir);
  return { dir, source };
}

async function download(asset: AssetSpec, options: AssetStoreOptions): Promise<string> {
  const cacheDir = resolve(options.repoRoot, 'models/cache/downloads');
  await mkdir(cacheDir, { recursive: true });
  const target = join(cacheDir, basename(asset.path));
  if (existsSync(target) && (await stat(target)).size === asset.sizeBytes && (await sha256File(target)) === asset.sha256) return target;
  const doFetch = options.fetchImpl ?? fetch;
  let res: Response;
  try {
    res = await doFetch(asset.url);
  } catch (err) {
    throw new AssetError(
      'EARPIECE_ASSET_UNREACHABLE',
      `${asset.id}: cannot download ${asset.url} (${(err as Error).cause ?? (err as Error).message}). ` +
        `On a machine without internet access, put the file at <mirror>/${asset.path} and set EARPIECE_ASSET_MIRROR=<mirror>.`,
      true,
    );
  }
  if (!res.ok || !res.body) throw new AssetError('EARPIECE_ASSET_UNREACHABLE', `${asset.id}: ${asset.url} answered HTTP ${res.status}`, true);
  const total = Number(res.headers.get('content-length')) || asset.sizeBytes;
  let done = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      done += chunk.length;
      options.onProgress?.(asset, done, total);
      cb(null, chunk);
    },
  });
  const partial = `${target}.part`;
  await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), counter, createWriteStream(partial));
  await rename(partial, target);
  return target;
}

async function install(asset: AssetSpec, file: string, dir: string): Promise<void> {
  const staging = `${dir}.staging-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  if (asset.unpack === 'zip') {
    await extractZip(file, { dir: staging });
    // Archives usually hold one top-level folder: install its contents.
    const entries = (await readdir(staging, { withFileTypes: true })).filter((e) => !e.name.startsWith('__MACOSX'));
    const root = entries.length === 1 && entries[0]!.isDirectory() ? join(staging, entries[0]!.name) : staging;
    await rm(dir, { recursive: true, force: true });
    await mkdir(dirname(dir), { recursive: true });
    await rename(root, dir);
    if (root !== staging) await rm(staging, { recursive: true, force: true });
  } else {
    await copyFile(file, join(staging, basename(asset.path)));
    await rm(dir, { recursive: true, force: true });
    await mkdir(dirname(dir), { recursive: true });
    await rename(staging, dir);
  }
  await writeFile(join(dir, MARKER), JSON.stringify({ id: asset.id, sha256: asset.sha256, installedAt: new Date().toISOString() }));
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}
