import { describe, expect, test } from 'vitest';
import * as sr from '../../src/index.js';
import { init } from '../../src/nn/index.js';

/** Largest |(AᵀA or AAᵀ) − gain²·I| of a row-major rows×cols matrix, the product over the smaller side. */
function gramError(a: Float64Array, rows: number, cols: number, gain: number): number {
  const n = Math.min(rows, cols);
  const at = (i: number, j: number): number => a[i * cols + j]!;
  let worst = 0;
  for (let p = 0; p < n; p++)
    for (let q = 0; q < n; q++) {
      let dot = 0;
      if (rows >= cols) for (let i = 0; i < rows; i++) dot += at(i, p) * at(i, q);
      else for (let j = 0; j < cols; j++) dot += at(p, j) * at(q, j);
      worst = Math.max(worst, Math.abs(dot - (p === q ? gain * gain : 0)));
    }
  return worst;
}

describe('orthogonal', () => {
  test.each([
    [8, 8],
    [64, 17],
    [6, 64],
    [1, 5],
    [5, 1],
  ])('%i×%i: orthonormal columns (tall) or rows (wide), times the gain', (rows, cols) => {
    for (const gain of [1, Math.SQRT2, 0.01]) {
      const w = init.orthogonal({ gain })([rows, cols], new sr.Rng(rows * 100 + cols));
      expect(w.length).toBe(rows * cols);
      expect(gramError(w, rows, cols, gain)).toBeLessThan(1e-12 * Math.max(1, gain * gain) * rows * cols);
    }
  });

  test('Haar-distributed: entries of a square orthogonal matrix have mean 0 and variance 1/n', () => {
    const n = 20;
    const rng = new sr.Rng(4);
    let s = 0;
    let s2 = 0;
    const draws = 200;
    for (let k = 0; k < draws; k++) {
      const q = init.orthogonal()([n, n], rng);
      for (const v of q) {
        s += v;
        s2 += v * v;
      }
    }
    const count = draws * n * n;
    expect(Math.abs(s / count)).toBeLessThan(0.01);
    expect(s2 / count).toBeCloseTo(1 / n, 10); // every row has unit norm, so this is exact
    // the sign fix makes the diagonal unbiased too (without it, diag would be skewed)
    let diag = 0;
    for (let k = 0; k < draws; k++) {
      const q = init.orthogonal()([n, n], rng);
      for (let i = 0; i < n; i++) diag += q[i * n + i]!;
    }
    expect(Math.abs(diag / (draws * n))).toBeLessThan(0.02);
  });

  test('a float32 parameter keeps WᵀW ≈ I to float32 precision', () => {
    const w = init.initialize('orthogonal', [32, 16], { rng: 1 });
    expect(w.dtype).toBe('float32');
    const g = w.T.matmul(w).sub(sr.eye(16)).abs().max().item();
    expect(g).toBeLessThan(1e-5);
  });

  test('needs a 2-D shape', () => {
    expect(() => init.orthogonal()([4], new sr.Rng(0))).toThrow(
      'orthogonal: needs a weight of at least 2 dimensions, got [4]',
    );
  });
});

describe('glorotUniform', () => {
  test('bounds and variance: limit gain·sqrt(6/(in+out)), variance limit²/3', () => {
    const [fanIn, fanOut, gain] = [300, 200, 5 / 3];
    const w = init.glorotUniform({ gain })([fanIn, fanOut], new sr.Rng(11));
    const limit = gain * Math.sqrt(6 / (fanIn + fanOut));
    let lo = Infinity;
    let hi = -Infinity;
    let s = 0;
    let s2 = 0;
    for (const v of w) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      s += v;
      s2 += v * v;
    }
    expect(lo).toBeGreaterThanOrEqual(-limit);
    expect(hi).toBeLessThan(limit);
    // 60000 draws: the extremes come within 0.1% of the bounds
    expect(hi).toBeGreaterThan(limit * 0.999);
    expect(lo).toBeLessThan(-limit * 0.999);
    const n = w.length;
    const variance = s2 / n - (s / n) ** 2;
    // the sample variance of a uniform has relative sd sqrt(0.8/n) ≈ 0.37%: 2% is > 5 sd
    expect(Math.abs(variance / ((limit * limit) / 3) - 1)).toBeLessThan(0.02);
    expect(Math.abs(s / n)).toBeLessThan(limit * 0.02);
  });
});

describe('other initializers and determinism', () => {
  test('zeros, constant and normal', () => {
    expect([...init.zeros()([2, 2], new sr.Rng(0))]).toEqual([0, 0, 0, 0]);
    expect([...init.constant(0.25)([3], new sr.Rng(0))]).toEqual([0.25, 0.25, 0.25]);
    const v = init.normal({ mean: 2, std: 0.5 })([100_000], new sr.Rng(3));
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
    expect(Math.abs(m - 2)).toBeLessThan(0.01);
    expect(Math.abs(sd - 0.5)).toBeLessThan(0.01);
    expect(() => init.normal({ std: -1 })).toThrow('normal: std must be a finite number >= 0, got -1');
  });

  test('same seed, same values; Rng, Generator and numbers all seed', () => {
    for (const make of [init.orthogonal(), init.glorotUniform(), init.normal()]) {
      const a = make([5, 3], new sr.Rng(42));
      expect(make([5, 3], new sr.Rng(42))).toEqual(a);
      expect(make([5, 3], new sr.Rng(43))).not.toEqual(a);
    }
    const t = init.initialize('glorotUniform', [4, 4], { rng: sr.rng(7), dtype: 'float64' });
    expect(init.initialize('glorotUniform', [4, 4], { rng: 7, dtype: 'float64' }).toArray()).toEqual(
      t.toArray(),
    );
    // pinned: the values a seed gives must not change between versions
    expect(
      Array.from(init.glorotUniform()([2, 2], new sr.Rng(1))).map((x) => x.toFixed(12)),
    ).toMatchSnapshot();
  });

  test('gainFor follows the usual activation gains', () => {
    expect(init.gainFor('tanh')).toBeCloseTo(5 / 3, 15);
    expect(init.gainFor('relu')).toBe(Math.SQRT2);
    expect(init.gainFor('none')).toBe(1);
  });
});
