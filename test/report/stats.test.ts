import { describe, expect, test } from 'vitest';
import {
  compareMeans,
  meanOf,
  percentile,
  permutationPValue,
  sampleStd,
  summarize,
  trapezoidArea,
} from '../../src/report/stats.js';

/** Every way of choosing k of n indices (for exact permutation tests on small groups). */
function choose(n: number, k: number, from = 0): number[][] {
  if (k === 0) return [[]];
  const out: number[][] = [];
  for (let i = from; i <= n - k; i++) for (const rest of choose(n, k - 1, i + 1)) out.push([i, ...rest]);
  return out;
}

describe('report statistics', () => {
  test('summary: mean, sample std, median and interpolated percentiles', () => {
    const s = summarize([500, 100, 300, 200, 400]);
    expect(s).toMatchObject({ n: 5, mean: 300, median: 300, p10: 140, p90: 460, min: 100, max: 500 });
    expect(s.std).toBeCloseTo(Math.sqrt(25000), 10);
    expect(summarize([7]).std).toBe(0);
    expect(percentile([1, 2, 3, 4], 0.1)).toBeCloseTo(1.3, 12);
    expect(() => summarize([])).toThrow(/empty sample/);
    expect(() => summarize([1, NaN])).toThrow(/value 1 is not finite/);
  });

  test("Welch's t-test matches R's t.test; the bootstrap interval brackets the difference like the normal approximation", () => {
    // R: t.test(c(1,2,3,4), c(2,3,5,7,9)) → t = -1.8827, df = 5.7922, p-value = 0.1105
    const c = compareMeans([1, 2, 3, 4], [2, 3, 5, 7, 9]);
    expect(c.difference).toBeCloseTo(-2.7, 12);
    expect(c.df).toBeCloseTo(5.7922, 4);
    expect(c.pValue).toBeCloseTo(0.1105, 4);
    // a larger sample: percentile-bootstrap CI ≈ difference ± 1.96·SE
    const a = Array.from({ length: 40 }, (_, i) => 100 + ((i * 37) % 41));
    const b = Array.from({ length: 40 }, (_, i) => 90 + ((i * 53) % 43));
    const m = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
    const v = (xs: number[]) => xs.reduce((x, y) => x + (y - m(xs)) ** 2, 0) / (xs.length - 1);
    const se = Math.sqrt(v(a) / a.length + v(b) / b.length);
    const r = compareMeans(a, b, { seed: 1 });
    expect(r.difference).toBeCloseTo(m(a) - m(b), 12);
    expect(r.ciLow).toBeCloseTo(r.difference - 1.96 * se, 0);
    expect(r.ciHigh).toBeCloseTo(r.difference + 1.96 * se, 0);
    expect(Math.abs(r.ciHigh - r.ciLow - 2 * 1.96 * se) / (2 * 1.96 * se)).toBeLessThan(0.06);
    // identical groups of constants: a zero-width interval at the exact difference
    expect(compareMeans([5, 5, 5], [2, 2])).toMatchObject({ difference: 3, ciLow: 3, ciHigh: 3 });
    // reproducible with the same seed
    expect(compareMeans(a, b, { seed: 1 })).toEqual(r);
  });

  test('the permutation p-value estimates the exact one (all splits enumerated); separated groups get the smallest p; seeded', () => {
    const meanGap = (x: readonly number[], y: readonly number[]): number => Math.abs(meanOf(x) - meanOf(y));
    const logSdRatio = (x: readonly number[], y: readonly number[]): number =>
      Math.abs(Math.log(sampleStd(x) / sampleStd(y)));
    const a = [3.1, 4.7, 5.2, 6.0];
    const b = [1.0, 2.2, 2.9, 3.5, 4.1, 6.5];
    const pooled = [...a, ...b];
    for (const distance of [meanGap, logSdRatio]) {
      const observed = distance(a, b);
      const splits = choose(pooled.length, a.length);
      const asFar = splits.filter((idx) => {
        const x = idx.map((i) => pooled[i]!);
        const y = pooled.filter((_, i) => !idx.includes(i));
        return distance(x, y) >= observed - 1e-12;
      }).length;
      const exact = asFar / splits.length; // 210 splits
      const p = permutationPValue(a, b, distance, { resamples: 20000, seed: 3 });
      // binomial standard error at 20000 shuffles is below 0.0036
      expect(Math.abs(p - exact), `${distance.name}: exact ${exact}`).toBeLessThan(0.015);
      expect(permutationPValue(a, b, distance, { resamples: 20000, seed: 3 })).toBe(p);
    }
    // 10 against 10 with no overlap: 2 of 184756 splits are as far apart, so p = 1/(R + 1)
    const low = Array.from({ length: 10 }, (_, i) => i);
    const high = low.map((x) => x + 100);
    expect(permutationPValue(high, low, meanGap, { resamples: 999 })).toBe(1 / 1000);
    // the same values in both groups: every split is at least as far apart
    expect(permutationPValue([1, 2, 3], [1, 2, 3], meanGap, { resamples: 99 })).toBe(1);
    // a spread of zero in the observed groups leaves the ratio undefined
    expect(permutationPValue([1, 1, 1], [1, 2, 3], logSdRatio)).toBeNaN();
    expect(() => permutationPValue([1], [], meanGap)).toThrow(/baseline\): empty sample/);
    expect(() => permutationPValue([1, 2], [3, 4], meanGap, { resamples: 0 })).toThrow(/positive integer/);
  });

  test('trapezoid area sorts the points first', () => {
    expect(trapezoidArea([0.1, 0, 0.05], [0, 10, 5])).toBeCloseTo(0.5, 12);
    expect(() => trapezoidArea([0], [1, 2])).toThrow(/1 x values but 2 y values/);
  });
});
