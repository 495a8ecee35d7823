/**
 * Summary statistics for the report. Means, standard deviations, medians and percentiles
 * come from mathjs (sample std with n − 1; percentiles by linear interpolation between
 * order statistics, numpy's default); Welch's t-test from @stdlib/stats-ttest2. Only the
 * bootstrap and permutation resampling loops and the trapezoid area are written here.
 */
import { mean, quantileSeq, std } from 'mathjs';
import ttest2 from '@stdlib/stats-ttest2';
import { Rng } from '../util/rng.js';

export interface Summary {
  n: number;
  mean: number;
  /** sample standard deviation (n − 1); 0 for a single value */
  std: number;
  median: number;
  p10: number;
  p90: number;
  min: number;
  max: number;
}

function checkSample(where: string, xs: readonly number[]): void {
  if (xs.length === 0) throw new RangeError(`${where}: empty sample`);
  const bad = xs.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) throw new RangeError(`${where}: value ${bad} is not finite (${xs[bad]})`);
}

/** The q-quantile (0 ≤ q ≤ 1) with linear interpolation. */
export function percentile(xs: readonly number[], q: number): number {
  checkSample('percentile', xs);
  // sorted here, exactly: on unsorted data mathjs selects with a random pivot and an
  // epsilon-tolerant comparison, so nearly equal values could swap from run to run
  const sorted = Array.from(Float64Array.from(xs).sort());
  return quantileSeq(sorted, q, true) as number;
}

export function summarize(xs: readonly number[]): Summary {
  checkSample('summarize', xs);
  const a = xs.slice();
  return {
    n: a.length,
    mean: mean(a) as number,
    std: a.length > 1 ? (std(a) as unknown as number) : 0,
    median: percentile(a, 0.5),
    p10: percentile(a, 0.1),
    p90: percentile(a, 0.9),
    min: Math.min(...a),
    max: Math.max(...a),
  };
}

export interface Comparison {
  /** mean(treatment) − mean(baseline) */
  difference: number;
  /** percentile bootstrap interval of the difference of means */
  ciLow: number;
  ciHigh: number;
  /** two-sided Welch's t-test p-value (NaN when either group has < 2 values) */
  pValue: number;
  /** Welch–Satterthwaite degrees of freedom */
  df: number;
}

export interface CompareOptions {
  /** bootstrap resamples (default 10000) */
  resamples?: number;
  /** confidence level (default 0.95) */
  level?: number;
  /** seed of the resampling generator (default 0), so reports are reproducible */
  seed?: number;
}

export interface Interval {
  /** the statistic on the samples themselves */
  value: number;
  /** percentile bootstrap interval (each group resampled on its own) */
  ciLow: number;
  ciHigh: number;
}

/**
 * A two-sample statistic (difference of means, ratio of standard deviations, difference of
 * 10th percentiles…) with its percentile-bootstrap interval: each group is resampled with
 * replacement on its own, `resamples` times, from a seeded generator.
 */
export function bootstrapInterval(
  treatment: readonly number[],
  baseline: readonly number[],
  statistic: (treatment: readonly number[], baseline: readonly number[]) => number,
  opts: CompareOptions = {},
  where = 'bootstrapInterval',
): Interval {
  checkSample(`${where} (treatment)`, treatment);
  checkSample(`${where} (baseline)`, baseline);
  const resamples = opts.resamples ?? 10000;
  const level = opts.level ?? 0.95;
  if (!(Number.isInteger(resamples) && resamples > 0))
    throw new RangeError(`${where}: resamples must be a positive integer, got ${resamples}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`${where}: level must be in (0, 1), got ${level}`);
  const rng = new Rng(opts.seed ?? 0);
  const a = new Array<number>(treatment.length);
  const b = new Array<number>(baseline.length);
  const values: number[] = [];
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < a.length; i++) a[i] = treatment[rng.int(treatment.length)]!;
    for (let i = 0; i < b.length; i++) b[i] = baseline[rng.int(baseline.length)]!;
    const v = statistic(a, b);
    // a resample with no spread makes a ratio of spreads undefined; it carries no information
    if (Number.isFinite(v)) values.push(v);
  }
  const alpha = 1 - level;
  return {
    value: statistic(treatment, baseline),
    ciLow: values.length ? percentile(values, alpha / 2) : NaN,
    ciHigh: values.length ? percentile(values, 1 - alpha / 2) : NaN,
  };
}

/**
 * Two-sided permutation test of "both groups come from one distribution": the groups' labels
 * are shuffled `resamples` times (seeded), and p = (1 + #shuffles at least as far from no
 * difference as the observed split) / (resamples + 1), which is never 0 and is exact in
 * expectation (Phipson & Smyth 2010). `distance` says how far a split is from no difference,
 * e.g. |mean(a) − mean(b)|, or |log(sd(a) / sd(b))| for a ratio. A shuffle whose distance is
 * not finite (a ratio of spreads over a group with none) counts as extreme: conservative.
 * NaN when the observed distance is not finite.
 */
export function permutationPValue(
  treatment: readonly number[],
  baseline: readonly number[],
  distance: (treatment: readonly number[], baseline: readonly number[]) => number,
  opts: Pick<CompareOptions, 'resamples' | 'seed'> = {},
  where = 'permutationPValue',
): number {
  checkSample(`${where} (treatment)`, treatment);
  checkSample(`${where} (baseline)`, baseline);
  const resamples = opts.resamples ?? 10000;
  if (!(Number.isInteger(resamples) && resamples > 0))
    throw new RangeError(`${where}: resamples must be a positive integer, got ${resamples}`);
  const observed = distance(treatment, baseline);
  if (!Number.isFinite(observed)) return NaN;
  // distances equal to the observed one up to rounding count as extreme (sums in another order)
  const atLeast = observed - 1e-12 * Math.max(1, Math.abs(observed));
  const pooled = [...treatment, ...baseline];
  const n = treatment.length;
  const rng = new Rng(opts.seed ?? 0);
  // the split's two groups, refilled per shuffle (as the bootstrap reuses its resamples)
  const a = new Array<number>(n);
  const b = new Array<number>(baseline.length);
  let extreme = 0;
  for (let r = 0; r < resamples; r++) {
    // the first n of a partial Fisher–Yates shuffle are a uniform draw of the treatment group
    for (let i = 0; i < n; i++) {
      const j = i + rng.int(pooled.length - i);
      [pooled[i], pooled[j]] = [pooled[j]!, pooled[i]!];
    }
    for (let i = 0; i < n; i++) a[i] = pooled[i]!;
    for (let i = 0; i < b.length; i++) b[i] = pooled[n + i]!;
    const d = distance(a, b);
    if (!(d < atLeast)) extreme++;
  }
  return (1 + extreme) / (resamples + 1);
}

/** Plain-loop mean and sample std (n − 1): the bootstrap calls them thousands of times per table. */
export const meanOf = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
export function sampleStd(xs: readonly number[]): number {
  const m = meanOf(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

/** Difference of means with a percentile-bootstrap CI and Welch's test. */
export function compareMeans(
  treatment: readonly number[],
  baseline: readonly number[],
  opts: CompareOptions = {},
): Comparison {
  const ci = bootstrapInterval(treatment, baseline, (a, b) => meanOf(a) - meanOf(b), opts, 'compareMeans');
  let pValue = NaN;
  let df = NaN;
  if (treatment.length > 1 && baseline.length > 1) {
    const t = ttest2(treatment.slice(), baseline.slice(), {
      variance: 'unequal',
      alpha: 1 - (opts.level ?? 0.95),
    });
    pValue = t.pValue;
    df = t.df;
  }
  return {
    difference: (mean(treatment.slice()) as number) - (mean(baseline.slice()) as number),
    ciLow: ci.ciLow,
    ciHigh: ci.ciHigh,
    pValue,
    df,
  };
}

export function trapezoidArea(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length !== ys.length)
    throw new RangeError(`trapezoidArea: ${xs.length} x values but ${ys.length} y values`);
  const pts = xs.map((x, i) => [x, ys[i]!] as const).sort((a, b) => a[0] - b[0]);
  let area = 0;
  for (let i = 1; i < pts.length; i++)
    area += ((pts[i]![0] - pts[i - 1]![0]) * (pts[i]![1] + pts[i - 1]![1])) / 2;
  return area;
}
