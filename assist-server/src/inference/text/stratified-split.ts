/**
 * A seeded stratified split: `fraction` of each label's items (rounded) go to the held-out part.
 * Each label is shuffled with its own seed (from the seed and the label), so adding or removing a
 * label leaves the other labels' splits as they were.
 */
import { createHash } from 'node:crypto';
import { seededRandom, shuffle } from './seeded-random.ts';

export function stratifiedSplit<T>(items: T[], labelOf: (item: T) => string, fraction: number, seed: number): { train: T[]; heldOut: T[] } {
  const byLabel = new Map<string, T[]>();
  for (const item of items) {
    const l = labelOf(item);
    const list = byLabel.get(l);
    if (list) list.push(item);
    else byLabel.set(l, [item]);
  }
  const train: T[] = [];
  const heldOut: T[] = [];
  for (const l of [...byLabel.keys()].sort()) {
    const labelSeed = createHash('sha256').update(`${seed}:${l}`).digest().readUInt32LE(0);
    const list = shuffle([...byLabel.get(l)!], seededRandom(labelSeed));
    const k = list.length > 1 ? Math.round(list.length * fraction) : 0; // a label with one example stays in training
    heldOut.push(...list.slice(0, k));
    train.push(...list.slice(k));
  }
  return { train, heldOut };
}
