/**
 * Downloaded assets (speech models, training data): one mechanism for all of them.
 *
 * models/manifest.json names each asset's upstream URL, sha256 and relative `path`. An asset is
 * taken, in order, from: its install dir if already installed with the same sha256 (idempotent);
 * the mirror directory (EARPIECE_ASSET_MIRROR, for air-gapped sites and CI) at `<mirror>/<path>`;
 * or the upstream URL, downloaded to `models/cache/downloads/` with a progress bar. Size and
 * sha256 are checked on every source. Zip archives are unpacked into `installDir`; plain files are copied
 * to `installDir/<basename of path>` (with `sharedDir`, several assets' files sit side by side there).
 *
 * `extract` is for an asset that is part of a larger upstream file whose own checksum is not
 * recorded: the download is cut down to the asset (e.g. some keys of a JSON file) and that result
 * must match sizeBytes and sha256, so the data is verified all the same.
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
  /** Plain file installed beside other assets' files in installDir (that dir is not replaced). */
  sharedDir?: boolean;
  /** The upstream URL is a larger JSON file; the asset is these top-level keys of it, in this order, as Python's json.dumps writes them. */
  extract?: { jsonKeys: string[] };
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
const markerPath = (asset: AssetSpec, dir: string) => join(dir, asset.sharedDir ? `.earpiece-asset.${asset.id}.json` : MARKER);

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
    const marker = JSON.parse(await readFile(markerPath(asset, assetInstallDir(asset, repoRoot)), 'utf8')) as { sha256?: string };
    return marker.sha256 === asset.sha256;
  } catch {
    return false; // no marker yet: not installed
  }
}

/** Where a plain-file asset lies once installed. */
export function assetFile(asset: AssetSpec, repoRoot: string): string {
  return join(assetInstallDir(asset, repoRoot), basename(asset.path));
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
  if (asset.extract) {
    const whole = await fetchToCache(asset, options, join(cacheDir, basename(new URL(asset.url).pathname)));
    const json = JSON.parse(await readFile(whole, 'utf8')) as Record<string, unknown>;
    const missing = asset.extract.jsonKeys.filter((k) => !(k in json));
    if (missing.length) throw new AssetError('EARPIECE_ASSET_CHECKSUM', `${asset.id}: ${asset.url} has no ${missing.join(', ')}; it is not the published file.`);
    await writeFile(target, pythonJsonDumps(Object.fromEntries(asset.extract.jsonKeys.map((k) => [k, json[k]]))));
    return target;
  }
  return fetchToCache(asset, options, target);
}

async function fetchToCache(asset: AssetSpec, options: AssetStoreOptions, target: string): Promise<string> {
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
  const total = Number(res.headers.get('content-length')) || (asset.extract ? undefined : asset.sizeBytes);
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
  } else if (asset.sharedDir) {
    await mkdir(dir, { recursive: true });
    await copyFile(file, join(staging, basename(asset.path)));
    await rename(join(staging, basename(asset.path)), join(dir, basename(asset.path)));
    await rm(staging, { recursive: true, force: true });
  } else {
    await copyFile(file, join(staging, basename(asset.path)));
    await rm(dir, { recursive: true, force: true });
    await mkdir(dirname(dir), { recursive: true });
    await rename(staging, dir);
  }
  await writeFile(markerPath(asset, dir), JSON.stringify({ id: asset.id, sha256: asset.sha256, installedAt: new Date().toISOString() }));
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** JSON text exactly as Python's json.dumps(value) writes it (", " and ": " separators, non-ASCII as \\uXXXX). */
export function pythonJsonDumps(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return pythonJsonString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pythonJsonString(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
}

const PY_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

function pythonJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = s.charCodeAt(i);
    out += PY_ESCAPES[ch] ?? (code >= 0x20 && code <= 0x7e ? ch : `\\u${code.toString(16).padStart(4, '0')}`);
  }
  return out + '"';
}
