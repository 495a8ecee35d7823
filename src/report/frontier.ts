/**
 * The clean-return / attacked-return frontier of issue 17: per env and attack strength, one
 * point per setting (variant) with each axis's mean over policies and its 95% interval
 * (Student's t over policies, the dashboard's band), and each setting compared with a
 * reference variant (plain TRPO) on both axes by the bootstrap difference of means. A
 * setting "beats the reference on both axes" when both differences' intervals lie above 0;
 * its pBoth says whether that survives a correction for the number of settings tried.
 *
 * A policy's clean return is the mean of its `sr2l eval` episodes without attack (the same
 * evaluation as the attacked return, so the axes compare like with like), its
 * attacked return the mean of its episodes under `attack` at ε.
 */
import { meanBand } from '../dashboard/band.js';
import type { RunResult } from './sweep-data.js';
import { type CompareOptions, type Comparison, compareMeans, meanOf, permutationPValue } from './stats.js';

export interface AxisSummary {
  mean: number;
  /** 95% Student-t interval of the mean over policies (= mean with one policy) */
  lo: number;
  hi: number;
}

export interface FrontierPoint {
  env: string;
  variant: string;
  reference: boolean;
  attack: string;
  epsAttack: number;
  /** policies evaluated at this point */
  policies: number;
  clean: AxisSummary;
  attacked: AxisSummary;
  /** setting − reference, with bootstrap intervals (null for the reference itself or without one) */
  cleanVsReference: Comparison | null;
  attackedVsReference: Comparison | null;
  /** both differences' intervals above 0 */
  beatsReferenceOnBoth: boolean;
  /**
   * p-value of "no better than the reference on both axes": the larger of the two axes'
   * permutation p-values (an intersection–union test), for Holm's correction over the
   * report's settings; NaN for the reference and without one
   */
  pBoth: number;
}

export interface FrontierOptions extends CompareOptions {
  attack: string;
  epsAttack: readonly number[];
  /** the variant every other one is compared with, e.g. 'trpo' */
  reference: string;
}

/** One policy's mean clean return and mean return under `attack` at `eps`, or null when not evaluated so. */
function policyReturns(
  run: RunResult,
  attack: string,
  eps: number,
): { clean: number; attacked: number } | null {
  const res = run.robustness;
  if (!res) return null;
  const clean = res.rows.findIndex((r) => r.attack === 'none' || (r.eps === 0 && r.attack === attack));
  const hit = res.rows.findIndex((r) => r.attack === attack && r.eps === eps);
  if (clean < 0 || hit < 0) return null;
  return { clean: meanOf(res.returns[clean]!), attacked: meanOf(res.returns[hit]!) };
}

const meanGap = (a: readonly number[], b: readonly number[]): number => Math.abs(meanOf(a) - meanOf(b));

const axis = (xs: readonly number[]): AxisSummary => {
  const b = meanBand(xs);
  return { mean: b.mean, lo: b.lo, hi: b.hi };
};

/** Every env × variant × ε_attack point of `runs` with at least one policy evaluated there. */
export function frontierPoints(runs: readonly RunResult[], opts: FrontierOptions): FrontierPoint[] {
  const out: FrontierPoint[] = [];
  const envs = [...new Set(runs.map((r) => r.env))].sort();
  for (const env of envs) {
    const variants = [...new Set(runs.filter((r) => r.env === env).map((r) => r.variant))].sort();
    for (const epsAttack of opts.epsAttack) {
      const values = new Map<string, { clean: number[]; attacked: number[] }>();
      for (const variant of variants) {
        const v = { clean: [] as number[], attacked: [] as number[] };
        for (const r of runs) {
          if (r.env !== env || r.variant !== variant) continue;
          const p = policyReturns(r, opts.attack, epsAttack);
          if (!p) continue;
          v.clean.push(p.clean);
          v.attacked.push(p.attacked);
        }
        if (v.clean.length) values.set(variant, v);
      }
      const ref = values.get(opts.reference);
      for (const [variant, v] of values) {
        const isRef = variant === opts.reference;
        const cleanVsReference = ref && !isRef ? compareMeans(v.clean, ref.clean, opts) : null;
        const attackedVsReference = ref && !isRef ? compareMeans(v.attacked, ref.attacked, opts) : null;
        const pBoth =
          ref && !isRef && Math.min(v.clean.length, ref.clean.length) > 1
            ? Math.max(
                permutationPValue(v.clean, ref.clean, meanGap, opts, `frontier (${env}, ${variant})`),
                permutationPValue(v.attacked, ref.attacked, meanGap, opts, `frontier (${env}, ${variant})`),
              )
            : NaN;
        out.push({
          env,
          variant,
          reference: isRef,
          attack: opts.attack,
          epsAttack,
          policies: v.clean.length,
          clean: axis(v.clean),
          attacked: axis(v.attacked),
          cleanVsReference,
          attackedVsReference,
          beatsReferenceOnBoth:
            cleanVsReference !== null &&
            attackedVsReference !== null &&
            cleanVsReference.ciLow > 0 &&
            attackedVsReference.ciLow > 0,
          pBoth,
        });
      }
    }
  }
  return out;
}

/** A setting's smallest difference from the reference over the clean axis and every attacked one. */
export interface WorstAxis {
  env: string;
  variant: string;
  /** min over clean − reference and attacked − reference at each ε_attack */
  worst: number;
}

/**
 * Per env, the settings ranked by their worst axis, best first (a maximin choice: the
 * setting that is least behind, or most ahead of, the reference wherever it is weakest).
 * It names which setting deserves the costlier attacks; picked on the same policies, its
 * gap is an optimistic estimate. Settings missing an ε_attack are left out.
 */
export function rankByWorstAxis(points: readonly FrontierPoint[]): WorstAxis[] {
  const byKey = new Map<string, FrontierPoint[]>();
  // an env's settings are ranked over the ε_attack its points have, not every env's
  const epsByEnv = new Map<string, Set<number>>();
  for (const p of points) {
    epsByEnv.set(p.env, (epsByEnv.get(p.env) ?? new Set()).add(p.epsAttack));
    if (p.reference || !p.cleanVsReference || !p.attackedVsReference) continue;
    const key = `${p.env}\0${p.variant}`;
    const group = byKey.get(key);
    if (group) group.push(p);
    else byKey.set(key, [p]);
  }
  const ranked: WorstAxis[] = [];
  for (const ps of byKey.values()) {
    if (ps.length < epsByEnv.get(ps[0]!.env)!.size) continue;
    const gaps = [ps[0]!.cleanVsReference!.difference, ...ps.map((p) => p.attackedVsReference!.difference)];
    ranked.push({ env: ps[0]!.env, variant: ps[0]!.variant, worst: Math.min(...gaps) });
  }
  return ranked.sort((a, b) => a.env.localeCompare(b.env) || b.worst - a.worst);
}
