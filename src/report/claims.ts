/**
 * The paper's four claims, checked per env for each SR variant against its baseline:
 *   mean       SR's mean final return is higher (difference of means)
 *   spread     SR's returns vary less across seeds (ratio of standard deviations)
 *   worst case SR's 10th percentile over seeds is higher (difference of 10th percentiles)
 *   decline    SR loses less return under perturbation (per policy: clean return minus the
 *              return at the largest ε evaluated, one value per seed, per attack)
 * Each comes with a 95% percentile-bootstrap interval over seeds; the verdict says which
 * way the interval points only when it excludes "no difference", so a claim that the data
 * cannot separate from chance reads "no clear difference", never "held". With fewer than
 * MIN_SEEDS_FOR_VERDICT seeds in a group the percentile bootstrap is no guide (two seeds
 * resample to a spread of 0 half the time, so "smaller spread" would always "hold"): the
 * interval is still shown, the verdict reads "too few seeds". Each claim also gets a
 * permutation p-value, so that a table of many claims can be corrected for their number.
 */
import { baselinePairs, finals } from './aggregate.js';
import {
  type CompareOptions,
  type Interval,
  bootstrapInterval,
  meanOf as mean,
  percentile,
  permutationPValue,
  sampleStd as sd,
} from './stats.js';
import type { RunResult } from './sweep-data.js';

export type ClaimKind = 'mean' | 'spread' | 'worst case' | 'decline';

/** A claim whose interval excludes no difference: it held or it was reversed. */
export function isDecided(c: Pick<ClaimRow, 'verdict'>): boolean {
  return c.verdict === 'held' || c.verdict === 'reversed';
}

/**
 * The claims that can reach a verdict (enough seeds): the family Holm's correction runs
 * over, as a claim that cannot be decided need not be paid for.
 */
export function decidable<C extends Pick<ClaimRow, 'verdict'>>(claims: readonly C[]): C[] {
  return claims.filter((c) => c.verdict !== 'too few');
}

/** Seeds (policies) each group needs before a claim gets a verdict. */
export const MIN_SEEDS_FOR_VERDICT = 5;

export interface ClaimRow {
  env: string;
  variant: string;
  baseline: string;
  kind: ClaimKind;
  /** what was compared, e.g. "mean final return" or "return lost to mad at ε=0.3" */
  measure: string;
  /** the statistic of each group (SR's, the baseline's) */
  sr: number;
  base: number;
  /** SR − baseline (ratio SR / baseline for spread) with its interval */
  effect: Interval;
  /** 'held', 'reversed' (significantly the other way), 'unclear', or 'too few' seeds to say */
  verdict: 'held' | 'reversed' | 'unclear' | 'too few';
  /**
   * two-sided permutation p-value of no difference (statistic as in `effect`), for
   * corrections over many claims (the claims report's Holm); NaN when undefined
   */
  p: number;
  /** seeds (policies) per group */
  n: number;
  nBase: number;
}

/** 'held' when the interval lies wholly on the claimed side of `none`. */
function verdict(effect: Interval, none: number, claimedAbove: boolean): ClaimRow['verdict'] {
  if (!(Number.isFinite(effect.ciLow) && Number.isFinite(effect.ciHigh))) return 'unclear';
  if (effect.ciLow > none) return claimedAbove ? 'held' : 'reversed';
  if (effect.ciHigh < none) return claimedAbove ? 'reversed' : 'held';
  return 'unclear';
}

/** Per policy: mean clean return minus mean return under `attack` at the largest ε it was evaluated at. */
function declines(runs: readonly RunResult[], attack: string, eps: number): number[] {
  const out: number[] = [];
  for (const r of runs) {
    const rows = r.robustness?.rows ?? [];
    const clean = rows.find((x) => x.attack === 'none');
    const hit = rows.find((x) => x.attack === attack && x.eps === eps);
    if (clean && hit) out.push(clean.mean - hit.mean);
  }
  return out;
}

export function claimTable(runs: readonly RunResult[], opts: CompareOptions = {}): ClaimRow[] {
  const rows: ClaimRow[] = [];
  for (const { env, variant, baseline } of baselinePairs(runs)) {
    const sr = runs.filter((r) => r.env === env && r.variant === variant);
    const base = runs.filter((r) => r.env === env && r.variant === baseline);
    const add = (
      kind: ClaimKind,
      measure: string,
      a: readonly number[],
      b: readonly number[],
      stat: (x: readonly number[], y: readonly number[]) => number,
      one: (x: readonly number[]) => number,
      none: number,
      claimedAbove: boolean,
    ): void => {
      if (a.length < 2 || b.length < 2) return;
      const where = `claims (${env}, ${variant})`;
      const effect = bootstrapInterval(a, b, stat, opts, where);
      // how far a split is from no difference: ratios (none = 1) on the log scale
      const distance = (x: readonly number[], y: readonly number[]): number =>
        none === 1 ? Math.abs(Math.log(stat(x, y))) : Math.abs(stat(x, y) - none);
      rows.push({
        env,
        variant,
        baseline,
        kind,
        measure,
        sr: one(a),
        base: one(b),
        effect,
        verdict:
          Math.min(a.length, b.length) < MIN_SEEDS_FOR_VERDICT
            ? 'too few'
            : verdict(effect, none, claimedAbove),
        p: permutationPValue(a, b, distance, opts, where),
        n: a.length,
        nBase: b.length,
      });
    };
    const [fa, fb] = [finals(runs, env, variant), finals(runs, env, baseline)];
    const difference = (x: readonly number[], y: readonly number[]): number => mean(x) - mean(y);
    add('mean', 'mean final return', fa, fb, difference, mean, 0, true);
    add('spread', 'std of final return over seeds', fa, fb, (x, y) => sd(x) / sd(y), sd, 1, false);
    const p10 = (x: readonly number[]): number => percentile(x, 0.1);
    add('worst case', '10th percentile of final return', fa, fb, (x, y) => p10(x) - p10(y), p10, 0, true);
    const evaluated = [...sr, ...base].flatMap((r) => r.robustness?.rows ?? []);
    for (const attack of [...new Set(evaluated.map((x) => x.attack))].filter((a) => a !== 'none')) {
      const eps = Math.max(...evaluated.filter((x) => x.attack === attack).map((x) => x.eps));
      const [da, db] = [declines(sr, attack, eps), declines(base, attack, eps)];
      add('decline', `return lost to ${attack} at ε=${eps}`, da, db, difference, mean, 0, false);
    }
  }
  return rows;
}
