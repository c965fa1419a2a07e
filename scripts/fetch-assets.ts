/**
 * Installs every asset in models/manifest.json (setup step 3), with a progress bar for downloads.
 * A required asset that cannot be had fails setup; an optional one prints why and what Earpiece
 * does without it.
 */
import cliProgress from 'cli-progress';
import { ensureAsset, loadManifest, type AssetSpec } from '../assist-server/src/assets/asset-store.ts';
import { REPO_ROOT } from '../assist-server/src/config.ts';

const mirrorDir = process.env.EARPIECE_ASSET_MIRROR;
const assets = await loadManifest(REPO_ROOT);
let failed = 0;

for (const asset of assets) {
  let bar: cliProgress.SingleBar | undefined;
  const onProgress = (a: AssetSpec, done: number, total: number | undefined) => {
    if (!bar) {
      bar = new cliProgress.SingleBar(
        { format: `  ${a.id} [{bar}] {percentage}% {value}/{total} MB`, hideCursor: true, noTTYOutput: true, notTTYSchedule: 5000 },
        cliProgress.Presets.shades_classic,
      );
      bar.start(Math.round((total ?? done) / 1e6), 0);
    }
    bar.update(Math.round(done / 1e6));
  };
  try {
    const { dir, source } = await ensureAsset(asset, { repoRoot: REPO_ROOT, mirrorDir, onProgress });
    bar?.stop();
    console.log(`  ✓ ${asset.id} (${source}) → ${dir}`);
  } catch (err) {
    bar?.stop();
    const e = err as Error & { code?: string };
    if (asset.optional) {
      console.log(`  ! ${asset.id} not installed: ${e.message}\n    ${asset.optionalReason ?? ''}`);
    } else {
      console.error(`  ✗ ${asset.id}: ${e.message}`);
      failed++;
    }
  }
}
if (failed) process.exit(1);
