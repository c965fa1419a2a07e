/**
 * Where trained text models live: `<root>/<version>/` per trained model, and `<root>/current.json`
 * naming the one in use. A version id is `<name>-<12 hex>`, the hash of everything that decides the
 * weights (data, settings, seed, code revision), so retraining the same thing finds it done.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CLASSIFIER_FILE } from './text-classifier.ts';

const CURRENT = 'current.json';

export function versionId(name: string, parts: unknown): string {
  return `${name}-${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 12)}`;
}

export function isTrainedModelDir(dir: string): boolean {
  return existsSync(join(dir, CLASSIFIER_FILE));
}

/**
 * The model in use under a root: the version current.json names, else the newest trained version,
 * else the root itself (where loading then says no model is trained).
 */
export function currentModelDir(root: string): string {
  try {
    const { version } = JSON.parse(readFileSync(join(root, CURRENT), 'utf8')) as { version?: string };
    if (version && isTrainedModelDir(join(root, version))) return join(root, version);
  } catch {
    // no current.json: fall back to the newest version
  }
  if (!existsSync(root)) return root;
  const versions = readdirSync(root)
    .filter((name) => !name.startsWith('.'))
    .map((name) => join(root, name))
    .filter(isTrainedModelDir)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return versions[0] ?? root;
}

/** A model dir itself, or a root (see currentModelDir). */
export async function resolveModelDir(dir: string): Promise<string> {
  const found = currentModelDir(resolve(dir));
  if (isTrainedModelDir(found)) return found;
  throw Object.assign(new Error(`no trained model in ${found}: run npm run setup, or train one with npx earpiece intent|emotion train`), { code: 'EARPIECE_MODEL_MISSING' });
}

export async function setCurrent(root: string, version: string): Promise<void> {
  await writeFile(join(root, `${CURRENT}.tmp`), JSON.stringify({ version, setAt: new Date().toISOString() }, null, 2) + '\n');
  await rename(join(root, `${CURRENT}.tmp`), join(root, CURRENT));
}

/** Writes a model through `write(tmpDir)` and moves it into place at `<root>/<version>` in one step. */
export async function publishModelDir(root: string, version: string, write: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(root, version);
  const tmp = join(root, `.${version}.tmp-${process.pid}`);
  await mkdir(root, { recursive: true });
  await rm(tmp, { recursive: true, force: true });
  await write(tmp);
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  return dir;
}
