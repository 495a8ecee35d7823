/**
 * A group's mean over seeds with its 95% confidence band (Student's t interval of the mean:
 * mean ± t₀.₉₇₅,ₙ₋₁ · s/√n), and TensorBoard's smoothing. Pure: the page computes its curves
 * with these, so a figure and the exported HTML agree.
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

export interface BandPoint {
  x: number;
  mean: number;
  /** the band's edges; equal to mean when fewer than two seeds reached this point */
  lo: number;
  hi: number;
  n: number;
}

export function meanBand(values: readonly number[], level = 0.95): Omit<BandPoint, 'x'> {
  const n = values.length;
  if (n === 0) throw new RangeError('meanBand: no values');
  const mean = values.reduce((s, v) => s + v, 0) / n;
  if (n < 2) return { mean, lo: mean, hi: mean, n };
  const s = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  const half = tQuantile(1 - (1 - level) / 2, n - 1) * (s / Math.sqrt(n));
  return { mean, lo: mean - half, hi: mean + half, n };
}

/** One seed's curve: x (iterations or env steps) and y, keyed by iteration for alignment. */
export interface SeedCurve {
  iteration: readonly number[];
  x: readonly number[];
  y: readonly number[];
}

/**
 * Mean and band over seeds at every iteration some seed reached with a finite value; x is
 * the mean of the seeds' x there (env steps may differ a little between seeds).
 */
export function aggregateSeeds(curves: readonly SeedCurve[], level = 0.95): BandPoint[] {
  const at = new Map<number, { xs: number[]; ys: number[] }>();
  for (const c of curves)
    c.y.forEach((y, i) => {
      const x = c.x[i]!;
      if (!Number.isFinite(y) || !Number.isFinite(x)) return;
      const key = c.iteration[i]!;
      const e = at.get(key) ?? { xs: [], ys: [] };
      e.xs.push(x);
      e.ys.push(y);
      at.set(key, e);
    });
  return [...at]
    .sort((a, b) => a[0] - b[0])
    .map(([, { xs, ys }]) => ({ x: xs.reduce((s, v) => s + v, 0) / xs.length, ...meanBand(ys, level) }));
}

/**
 * TensorBoard's smoothing: an exponential moving average with weight `w` in [0, 1), debiased
 * by 1 − wᵏ so the first points are not pulled towards zero. Non-finite values pass through.
 */
export function smooth(ys: readonly number[], w: number): number[] {
  if (!(w >= 0 && w < 1)) throw new RangeError(`smoothing weight must be in [0, 1), got ${w}`);
  let last = 0;
  let k = 0;
  return ys.map((y) => {
    if (!Number.isFinite(y)) return y;
    last = last * w + (1 - w) * y;
    k++;
    return last / (1 - w ** k);
  });
}
