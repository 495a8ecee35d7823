/**
 * From per-run results to the report's tables and the figures' data: final return over
 * seeds, SR-minus-baseline comparisons, learning curves, percentiles, robustness curves
 * with their areas, and the smoothness metric against ε.
 */
import type { LearningPoint, PercentilePoint, RobustnessPoint, SmoothnessPoint } from './figures.js';
import {
  type CompareOptions,
  type Comparison,
  type Summary,
  compareMeans,
  meanOf,
  percentile,
  summarize,
  trapezoidArea,
} from './stats.js';
import type { RunResult } from './sweep-data.js';

/** Each SR variant and the algorithm it is compared against. */
export const BASELINE_OF: Readonly<Record<string, string>> = {
  'trpo-sr': 'trpo',
  'ddpg-sr-a': 'ddpg',
  'ddpg-sr-c': 'ddpg',
};

const unique = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

export function envsOf(runs: readonly RunResult[]): string[] {
  return unique(runs.map((r) => r.env));
}

/** Variants of one env in sweep order. */
export function variantsOf(runs: readonly RunResult[], env: string): string[] {
  return unique(runs.filter((r) => r.env === env).map((r) => r.variant));
}

/** Final returns of the finished runs: a run still in progress would enter with an earlier iteration. */
export const finals = (runs: readonly RunResult[], env: string, variant: string): number[] =>
  runs
    .filter((r) => r.env === env && r.variant === variant && r.finished && r.final !== null)
    .map((r) => r.final!);

export interface FinalRow {
  env: string;
  variant: string;
  summary: Summary;
}

/** Final return over seeds per env and variant (finished runs only). */
export function finalReturnTable(runs: readonly RunResult[]): FinalRow[] {
  const rows: FinalRow[] = [];
  for (const env of envsOf(runs))
    for (const variant of variantsOf(runs, env)) {
      const xs = finals(runs, env, variant);
      if (xs.length) rows.push({ env, variant, summary: summarize(xs) });
    }
  return rows;
}

export interface ComparisonRow {
  env: string;
  variant: string;
  baseline: string;
  n: number;
  nBaseline: number;
  comparison: Comparison;
}

export interface BaselinePair {
  env: string;
  variant: string;
  baseline: string;
}

/**
 * Each SR variant and the baseline variant it is compared with: the baseline algorithm's
 * runs with the same setting, or its only setting when it has one (a grid over SR's
 * settings against one baseline). The comparisons and the claims both use these pairs.
 */
export function baselinePairs(runs: readonly RunResult[]): BaselinePair[] {
  const pairs: BaselinePair[] = [];
  for (const env of envsOf(runs)) {
    const inEnv = runs.filter((r) => r.env === env);
    for (const variant of variantsOf(runs, env)) {
      const run = inEnv.find((r) => r.variant === variant)!;
      const baseAlgo = BASELINE_OF[run.algo];
      if (!baseAlgo) continue;
      const baseRuns = inEnv.filter((r) => r.algo === baseAlgo);
      const sameSetting = baseRuns.filter((r) => r.setting === run.setting);
      const pool = sameSetting.length
        ? sameSetting
        : unique(baseRuns.map((r) => r.setting)).length === 1
          ? baseRuns
          : [];
      if (pool.length) pairs.push({ env, variant, baseline: pool[0]!.variant });
    }
  }
  return pairs;
}

/** Each SR variant minus its baseline (baselinePairs). */
export function comparisonTable(runs: readonly RunResult[], opts: CompareOptions = {}): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  for (const { env, variant, baseline } of baselinePairs(runs)) {
    const [a, b] = [finals(runs, env, variant), finals(runs, env, baseline)];
    if (!a.length || !b.length) continue;
    rows.push({
      env,
      variant,
      baseline,
      n: a.length,
      nBaseline: b.length,
      comparison: compareMeans(a, b, opts),
    });
  }
  return rows;
}

/** Mean ± std over seeds at every iteration some seed reached (Fig. 2). */
export function learningPoints(runs: readonly RunResult[], env: string): LearningPoint[] {
  const out: LearningPoint[] = [];
  for (const variant of variantsOf(runs, env)) {
    const byIt = new Map<number, number[]>();
    for (const r of runs)
      if (r.env === env && r.variant === variant)
        for (const p of r.curve) byIt.set(p.iteration, [...(byIt.get(p.iteration) ?? []), p.value]);
    for (const [iteration, xs] of [...byIt].sort((x, y) => x[0] - y[0])) {
      const s = summarize(xs);
      out.push({ variant, iteration, mean: s.mean, std: s.std });
    }
  }
  return out;
}

/** Final return at percentiles 0, 10, …, 100 over seeds (Fig. 3). */
export function percentilePoints(runs: readonly RunResult[], env: string): PercentilePoint[] {
  const out: PercentilePoint[] = [];
  for (const variant of variantsOf(runs, env)) {
    const xs = finals(runs, env, variant);
    if (!xs.length) continue;
    for (let q = 0; q <= 100; q += 10) out.push({ variant, percentile: q, value: percentile(xs, q / 100) });
  }
  return out;
}

export interface RobustnessCurve {
  env: string;
  variant: string;
  attack: string;
  /** policies (runs) evaluated */
  policies: number;
  points: { eps: number; mean: number; std: number; episodes: number }[];
  /** trapezoid area under mean return vs ε, and that area over the ε range (a mean return) */
  area: number;
  meanOverRange: number;
}

/** Return vs ε per attack, pooling the episodes of every evaluated policy (Fig. 4); ε = 0 is the clean return. */
export function robustnessCurves(runs: readonly RunResult[]): RobustnessCurve[] {
  const out: RobustnessCurve[] = [];
  for (const env of envsOf(runs))
    for (const variant of variantsOf(runs, env)) {
      const evaluated = runs.filter((r) => r.env === env && r.variant === variant && r.robustness);
      const attacks = unique(evaluated.flatMap((r) => r.robustness!.rows.map((x) => x.attack))).filter(
        (a) => a !== 'none',
      );
      for (const attack of attacks) {
        const byEps = new Map<number, number[]>();
        for (const r of evaluated) {
          const res = r.robustness!;
          const clean = res.rows.findIndex((x) => x.attack === 'none');
          res.rows.forEach((x, i) => {
            if (x.attack === attack) byEps.set(x.eps, [...(byEps.get(x.eps) ?? []), ...res.returns[i]!]);
          });
          if (clean >= 0 && !res.rows.some((x) => x.attack === attack && x.eps === 0))
            byEps.set(0, [...(byEps.get(0) ?? []), ...res.returns[clean]!]);
        }
        const points = [...byEps]
          .sort((x, y) => x[0] - y[0])
          .map(([eps, xs]) => {
            const s = summarize(xs);
            return { eps, mean: s.mean, std: s.std, episodes: xs.length };
          });
        const area = trapezoidArea(
          points.map((p) => p.eps),
          points.map((p) => p.mean),
        );
        const range = points.length > 1 ? points[points.length - 1]!.eps - points[0]!.eps : 0;
        out.push({
          env,
          variant,
          attack,
          policies: evaluated.length,
          points,
          area,
          meanOverRange: range ? area / range : NaN,
        });
      }
    }
  return out;
}

export function robustnessPoints(curves: readonly RobustnessCurve[], env: string): RobustnessPoint[] {
  return curves
    .filter((c) => c.env === env)
    .flatMap((c) =>
      c.points.map((p) => ({ variant: c.variant, attack: c.attack, eps: p.eps, mean: p.mean, std: p.std })),
    );
}

/** Mean over policies of the local Lipschitz ratio at each ε. */
export function smoothnessPoints(runs: readonly RunResult[], env: string): SmoothnessPoint[] {
  const out: SmoothnessPoint[] = [];
  for (const variant of variantsOf(runs, env)) {
    const byEps = new Map<number, number[]>();
    for (const r of runs)
      if (r.env === env && r.variant === variant && r.robustness)
        for (const s of r.robustness.smoothness)
          byEps.set(s.eps, [...(byEps.get(s.eps) ?? []), s.lipschitzMean]);
    for (const [eps, xs] of [...byEps].sort((x, y) => x[0] - y[0]))
      out.push({ variant, eps, lipschitz: summarize(xs).mean });
  }
  return out;
}

export interface RankedSetting {
  algo: string;
  setting: string;
  /** mean final return over seeds per env (null: no finished run there) */
  means: Record<string, number | null>;
  /** mean over envs of the per-env normalized mean (0 = that env's worst setting, 1 = its best) */
  score: number;
}

/**
 * A grid search's settings ranked over envs, per algorithm with at least two settings: each
 * env's mean final returns are rescaled to [0, 1] across the algorithm's settings so every env
 * weighs the same whatever its return scale, and a setting's score is the mean of its rescaled
 * values over the envs where it finished (how grid-search-trpo.yaml's winner was chosen).
 */
export function rankSettings(runs: readonly RunResult[]): RankedSetting[] {
  const out: RankedSetting[] = [];
  for (const algo of unique(runs.map((r) => r.algo))) {
    const mine = runs.filter((r) => r.algo === algo);
    const settings = unique(mine.map((r) => r.setting));
    if (settings.length < 2) continue;
    const envs = envsOf(mine);
    const meanFinal = (env: string, setting: string): number | null => {
      const xs = mine.filter((r) => r.env === env && r.setting === setting && r.finished && r.final !== null);
      return xs.length ? meanOf(xs.map((r) => r.final!)) : null;
    };
    const means = new Map(
      settings.map((s) => [s, Object.fromEntries(envs.map((e) => [e, meanFinal(e, s)]))]),
    );
    const scaled = (env: string, x: number): number => {
      const xs = settings.map((s) => means.get(s)![env]).filter((v): v is number => v !== null);
      const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
      return hi > lo ? (x - lo) / (hi - lo) : 1;
    };
    for (const setting of settings) {
      const m = means.get(setting)!;
      const values = envs.flatMap((e) => (m[e] === null ? [] : [scaled(e, m[e]!)]));
      if (values.length)
        out.push({ algo, setting, means: m, score: values.reduce((s, v) => s + v, 0) / values.length });
    }
  }
  return out.sort((a, b) => (a.algo === b.algo ? b.score - a.score : a.algo < b.algo ? -1 : 1));
}
