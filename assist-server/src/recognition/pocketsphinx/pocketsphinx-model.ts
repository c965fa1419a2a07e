/**
 * Locates the PocketSphinx en-us model (Debian's pocketsphinx-en-us by default) and builds, once,
 * the telephone copy used for 8 kHz legs.
 *
 * 8 kHz audio is upsampled to 16 kHz before decoding, but its cepstral mean is far from the
 * model's `-cmninit` (c1 ≈ +30 instead of −5.3), so the first utterance of each stream decodes
 * as garbage. `feat.params` overrides command-line front-end flags, so the fix is a model copy:
 * every hmm file symlinked, plus a feat.params with the telephone `-cmninit`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { RecognitionError } from '../recognizer.ts';

export const DEFAULT_POCKETSPHINX_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';

/** Estimated on 8 kHz digits upsampled to 16 kHz (not on evaluation data). */
export const TELEPHONE_CMNINIT = '41.68,30.19,-35.94,37.35,-17.04,-5.11,12.79,-23.15,14.81,-8.45,3.67,5.49,-13.26';

export interface PocketSphinxModelFiles {
  /** Acoustic model directory (`-hmm`). */
  hmmDir: string;
  /** Language model (`-lm`). */
  lmPath: string;
  /** Pronunciation dictionary (`-dict`). */
  dictPath: string;
}

const APT_HINT = 'install it with: apt-get install pocketsphinx-en-us (or point the PocketSphinx model dir at a model with en-us/, en-us.lm.bin and cmudict-en-us.dict)';

export class PocketSphinxModel {
  private telephoneCopy: Promise<PocketSphinxModelFiles> | undefined;

  private constructor(
    readonly baseDir: string,
    readonly files: PocketSphinxModelFiles,
  ) {}

  /** Checks the model files exist. Throws EARPIECE_ASR_MODEL_MISSING naming what is absent. */
  static resolve(modelDir: string = DEFAULT_POCKETSPHINX_MODEL_DIR): PocketSphinxModel {
    const baseDir = resolve(modelDir);
    const files: PocketSphinxModelFiles = {
      hmmDir: join(baseDir, 'en-us'),
      lmPath: join(baseDir, 'en-us.lm.bin'),
      dictPath: join(baseDir, 'cmudict-en-us.dict'),
    };
    const missing = [
      ...[files.lmPath, files.dictPath].filter((f) => !isFile(f)),
      ...['mdef', 'means', 'variances', 'transition_matrices', 'feat.params'].map((f) => join(files.hmmDir, f)).filter((f) => !isFile(f)),
    ];
    if (missing.length > 0) {
      throw new RecognitionError(
        'EARPIECE_ASR_MODEL_MISSING',
        `PocketSphinx model is incomplete at ${baseDir} (missing ${missing.join(', ')}): ${APT_HINT}`,
      );
    }
    return new PocketSphinxModel(baseDir, files);
  }

  /**
   * The telephone copy under `cacheDir` (built on first call, reused afterwards; safe when
   * several processes build it at once). lm and dict stay the original files.
   */
  telephone(cacheDir: string): Promise<PocketSphinxModelFiles> {
    this.telephoneCopy ??= buildTelephoneHmm(this.files.hmmDir, cacheDir).then(
      (hmmDir) => ({ ...this.files, hmmDir }),
      (err: unknown) => {
        this.telephoneCopy = undefined;
        throw err;
      },
    );
    return this.telephoneCopy;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Directory name of the telephone copy: stable for the Debian model, path-specific otherwise. */
export function telephoneModelDirName(hmmDir: string): string {
  const source = resolve(hmmDir);
  if (source === join(DEFAULT_POCKETSPHINX_MODEL_DIR, 'en-us')) return 'pocketsphinx-en-us-telephone';
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 10);
  return `pocketsphinx-${basename(source)}-telephone-${hash}`;
}

/** feat.params with `-cmninit` replaced (or added) by the telephone value. */
export function telephoneFeatParams(original: string): string {
  const lines = original.split('\n');
  const at = lines.findIndex((l) => /^\s*-cmninit\s/.test(l));
  const line = `-cmninit ${TELEPHONE_CMNINIT}`;
  if (at >= 0) lines[at] = line;
  else {
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.splice(lines.length - 1, 0, line);
    else lines.push(line);
  }
  return lines.join('\n');
}

async function buildTelephoneHmm(sourceHmmDir: string, cacheDir: string): Promise<string> {
  const source = resolve(sourceHmmDir);
  const target = join(resolve(cacheDir), telephoneModelDirName(source));
  const featParams = telephoneFeatParams(await readFile(join(source, 'feat.params'), 'utf8'));
  const entries = (await readdir(source)).filter((name) => name !== 'feat.params' && isFile(join(source, name)));

  if (await isCurrent(target, source, entries, featParams)) return target;
  await mkdir(resolve(cacheDir), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await mkdir(tmp);
    for (const name of entries) await symlink(join(source, name), join(tmp, name));
    await writeFile(join(tmp, 'feat.params'), featParams);
    if (existsSync(target) && !(await isCurrent(target, source, entries, featParams))) {
      // Stale copy (source moved or changed): move it aside, then put the new one in place.
      const stale = `${target}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
      await rename(target, stale).catch(() => undefined);
      await rm(stale, { recursive: true, force: true });
    }
    await rename(tmp, target).catch(async (err: NodeJS.ErrnoException) => {
      // Another process won the race: its copy is as good as ours.
      if (!(await isCurrent(target, source, entries, featParams))) throw err;
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  if (!(await isCurrent(target, source, entries, featParams))) {
    throw new RecognitionError('EARPIECE_ASR_MODEL_COPY_FAILED', `could not build the PocketSphinx telephone model at ${target}: check that the directory is writable`);
  }
  return target;
}

async function isCurrent(target: string, source: string, entries: string[], featParams: string): Promise<boolean> {
  try {
    if ((await readFile(join(target, 'feat.params'), 'utf8')) !== featParams) return false;
    for (const name of entries) {
      if ((await readlink(join(target, name))) !== join(source, name)) return false;
    }
    return true;
  } catch {
    return false;
  }
}
