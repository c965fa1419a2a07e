import { describe, expect, it } from 'vitest';
import { heatBackground, heatLevel, wordSize } from './heat-scale.ts';

describe('heat scale and word sizes', () => {
  it('shades cells by their share of the maximum, nothing for zero', () => {
    expect(heatLevel(0, 10)).toBe(0);
    expect(heatLevel(5, 10)).toBe(0.5);
    expect(heatLevel(3, 0)).toBe(0);
    expect(heatBackground(0)).toBe('transparent');
    expect(heatBackground(1)).toBe('rgba(37, 99, 235, 0.80)');
    expect(heatBackground(0.5)).toBe('rgba(37, 99, 235, 0.44)');
  });

  it('sizes words on a square-root scale between the smallest and the largest size', () => {
    expect(wordSize(100, 100)).toBe(2.4);
    expect(wordSize(25, 100)).toBe(1.6); // 0.8 + 1.6 × √0.25
    expect(wordSize(0, 100)).toBe(0.8);
    expect(wordSize(1, 0)).toBe(0.8);
  });
});
