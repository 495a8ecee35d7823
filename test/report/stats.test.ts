import { describe, expect, test } from 'vitest';
import { compareMeans, percentile, summarize, trapezoidArea } from '../../src/report/stats.js';

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

  test('trapezoid area sorts the points first', () => {
    expect(trapezoidArea([0.1, 0, 0.05], [0, 10, 5])).toBeCloseTo(0.5, 12);
    expect(() => trapezoidArea([0], [1, 2])).toThrow(/1 x values but 2 y values/);
  });
});
