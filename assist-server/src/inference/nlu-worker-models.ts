/** Where trained NLU models live by default: models/trained/<kind>/<version>/ (the newest version wins). */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../config.ts';

export type NluModelKind = 'intent' | 'emotion';

export function trainedModelsRoot(kind: NluModelKind): string {
  return join(REPO_ROOT, 'models', 'trained', kind);
}

/** The most recently written model directory of a kind (one holding model.json), or the kind's root when there is none. */
export function defaultModelDir(kind: NluModelKind): string {
  const root = trainedModelsRoot(kind);
  if (!existsSync(root)) return root;
  const versions = readdirSync(root)
    .map((name) => join(root, name))
    .filter((dir) => existsSync(join(dir, 'model.json')))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return versions[0] ?? root;
}
