/**
 * Training data reaches the trainers only as assets of models/manifest.json (installed from the
 * mirror, EARPIECE_ASSET_MIRROR, or upstream, and checksum-verified by assets/asset-store.ts).
 */
import { assetFile, ensureAsset, loadManifest } from '../assets/asset-store.ts';
import { loadConfig, REPO_ROOT } from '../config.ts';

/** Path of an installed data asset's file, installing it first if needed. */
export async function dataAssetFile(assetId: string, options: { repoRoot?: string; mirrorDir?: string | undefined } = {}): Promise<string> {
  const repoRoot = options.repoRoot ?? REPO_ROOT;
  const asset = (await loadManifest(repoRoot)).find((a) => a.id === assetId);
  if (!asset) throw Object.assign(new Error(`models/manifest.json has no asset "${assetId}"`), { code: 'EARPIECE_ASSET_UNKNOWN' });
  const mirrorDir = 'mirrorDir' in options ? options.mirrorDir : loadConfig().assetMirror;
  await ensureAsset(asset, { repoRoot, mirrorDir });
  return assetFile(asset, repoRoot);
}
