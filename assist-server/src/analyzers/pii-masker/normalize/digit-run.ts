/** A run of words that spells a number, with the canonical digits it denotes. Indices are word indices, end exclusive. */
export interface DigitRun {
  start: number;
  end: number;
  /** Canonical digits (may end in 'X' for a CN ID check character). Restarts and corrections applied. */
  digits: string;
  /** Other plausible readings (e.g. without collapsing a restart); validators try all of them. */
  alternatives: string[];
  /** True when the run is introduced by "plus" (international phone). */
  plus: boolean;
  /** Word index ranges of each spoken group (used to tell "four fifty" from digit strings). */
  groupCount: number;
}

/** Every reading of a run: the canonical digits first. */
export function readings(run: DigitRun): string[] {
  return [run.digits, ...run.alternatives.filter((a) => a !== run.digits)];
}

export const FILLERS_EN = new Set(['um', 'uh', 'er', 'erm', 'ah', 'hmm', 'uhm', 'mm']);
export const SEPARATORS_EN = new Set(['dash', 'hyphen', '-', 'space']);

/**
 * Readings of a number that was restarted after a hesitation or a correction ("four one um four one
 * one", "five two three sorry five two four …"): `pre` is every digit before the restart, `seg` the
 * part of it spoken since the previous restart, `post` what followed. The first reading is the
 * canonical one: a repeated tail (2+ digits) is dropped; after a correction the new digits replace as
 * many of the last ones; after a plain hesitation nothing is dropped. All other splits are alternatives.
 */
export function restartReadings(pre: string, seg: string, post: string, correction: boolean): string[] {
  const raw = pre + post;
  const max = Math.min(seg.length, post.length);
  const cut = (k: number): string => pre.slice(0, pre.length - k) + post;
  let primary = correction && max > 0 ? cut(max) : raw;
  for (let k = max; k >= 2; k--) {
    if (post.startsWith(pre.slice(-k))) {
      primary = cut(k);
      break;
    }
  }
  const all = [primary, raw];
  for (let k = 1; k <= max; k++) all.push(cut(k));
  return [...new Set(all)];
}
