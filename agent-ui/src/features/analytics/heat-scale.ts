/** Cell shading for the demand heat table and font sizes for the word cloud: pure, so they are tested. */

/** 0..1 intensity of `value` against the table's maximum (0 when there is nothing). */
export function heatLevel(value: number, max: number): number {
  return max > 0 ? Math.max(0, Math.min(1, value / max)) : 0;
}

/** Background for a heat cell: the accent colour at an opacity that grows with the level. */
export function heatBackground(level: number): string {
  return level === 0 ? 'transparent' : `rgba(37, 99, 235, ${(0.08 + level * 0.72).toFixed(2)})`;
}

/** Font size in rem for a word seen `count` times when the most frequent word is seen `max` times: square-root scale, 0.8..2.4. */
export function wordSize(count: number, max: number, min = 0.8, top = 2.4): number {
  if (max <= 0 || count <= 0) return min;
  return Math.round((min + (top - min) * Math.sqrt(Math.min(count, max) / max)) * 100) / 100;
}
