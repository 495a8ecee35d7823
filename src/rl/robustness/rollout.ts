/**
 * Evaluation episodes run in lockstep: every step, the true observations of all episodes
 * still running form one batch [k, n], the attack perturbs the batch at once (one PGD for
 * all episodes instead of one per episode), the policy acts on the perturbed observations,
 * and each environment steps with its action. The environments only ever receive actions,
 * so the physics always evolves from the true state, as with the PerturbObservation
 * wrapper (test/robustness/rollout.test.ts: an attacked episode run through the wrapper
 * returns exactly what it returns here). Each episode has its own reset seed and (stochastic rollouts) its own noise
 * stream, so an episode's return does not depend on which others share its batch.
 */
import * as sr from '../../autograd/index.js';
import type { Env } from '../../envs/index.js';
import type { Rng } from '../../util/rng.js';
import type { Perturbation } from './attacks.js';
import type { EvalPolicy } from './policy.js';

export interface EpisodeBatchOptions {
  /** one environment per episode */
  envs: readonly Env[];
  /** reset seed of each episode */
  seeds: readonly number[];
  policy: EvalPolicy;
  /** perturbation of a batch of true observations; null or absent: clean */
  perturb?: ((states: sr.Tensor) => Perturbation | null) | null;
  /** per-episode generators of the Gaussian action noise; absent: deterministic actions μ(s) */
  actionNoise?: readonly Rng[] | null;
  /** keep every true observation seen (for the observation std and the smoothness metric) */
  collectStates?: boolean;
  /** ball radius, for the runtime check that every perturbation stays inside it */
  eps?: number;
}

export interface EpisodeBatchResult {
  returns: number[];
  lengths: number[];
  /** mean and max over all steps of ‖u‖∞ (ball units) and mean ‖δ‖₂ (raw units); 0 when clean */
  unitLinfMean: number;
  unitLinfMax: number;
  deltaL2Mean: number;
  /** the true observations of every step, row-major [steps × n] (when collectStates) */
  states: Float64Array;
}

export async function runEpisodes(opts: EpisodeBatchOptions): Promise<EpisodeBatchResult> {
  const { envs, seeds, policy } = opts;
  if (envs.length !== seeds.length)
    throw new RangeError(`runEpisodes: ${envs.length} environments but ${seeds.length} seeds`);
  if (opts.actionNoise && opts.actionNoise.length !== envs.length)
    throw new RangeError(
      `runEpisodes: ${envs.length} environments but ${opts.actionNoise.length} noise streams`,
    );
  const n = policy.obsDim;
  const m = policy.actDim;
  const obs = envs.map((e, i) => e.reset({ seed: seeds[i]! }).obs.slice());
  const returns = new Array<number>(envs.length).fill(0);
  const lengths = new Array<number>(envs.length).fill(0);
  const sigma =
    opts.actionNoise && policy.logStd ? Float64Array.from(await policy.logStd.data(), Math.exp) : null;
  if (opts.actionNoise && !sigma)
    throw new Error('stochastic rollouts need a Gaussian policy (one with logStd)');
  const stats = { linfSum: 0, linfMax: 0, l2Sum: 0, count: 0 };
  const kept: Float64Array[] = [];
  const action = new Float64Array(m);
  let active = envs.map((_, i) => i);
  while (active.length > 0) {
    const k = active.length;
    const host = new Float64Array(k * n);
    active.forEach((e, r) => host.set(obs[e]!, r * n));
    if (opts.collectStates) kept.push(host.slice());
    const states = sr.tensor(host, { shape: [k, n], dtype: policy.dtype });
    const p = opts.perturb ? opts.perturb(states) : null;
    const seen = p ? sr.noGrad(() => states.add(p.delta)) : states;
    const mu = await sr.noGrad(() => policy.mean(seen)).data();
    if (p) await accumulateNorms(p, k, n, opts.eps, stats);
    const next: number[] = [];
    for (let r = 0; r < k; r++) {
      const e = active[r]!;
      const env = envs[e]!;
      const { low, high } = env.actionSpace;
      for (let j = 0; j < m; j++) {
        const a = mu[r * m + j]! + (sigma ? sigma[j]! * opts.actionNoise![e]!.normal() : 0);
        action[j] = Math.min(high[j]!, Math.max(low[j]!, a));
      }
      const s = env.step(action);
      returns[e]! += s.reward;
      lengths[e]!++;
      if (s.terminated || s.truncated) continue;
      obs[e]!.set(s.obs);
      next.push(e);
    }
    active = next;
  }
  const states = new Float64Array(kept.reduce((t, a) => t + a.length, 0));
  kept.reduce((off, a) => (states.set(a, off), off + a.length), 0);
  return {
    returns,
    lengths,
    unitLinfMean: stats.count ? stats.linfSum / stats.count : 0,
    unitLinfMax: stats.linfMax,
    deltaL2Mean: stats.count ? stats.l2Sum / stats.count : 0,
    states,
  };
}

async function accumulateNorms(
  p: Perturbation,
  k: number,
  n: number,
  eps: number | undefined,
  acc: { linfSum: number; linfMax: number; l2Sum: number; count: number },
): Promise<void> {
  const [unit, delta] = await Promise.all([p.unit.data(), p.delta.data()]);
  for (let r = 0; r < k; r++) {
    let linf = 0;
    let l2 = 0;
    for (let j = 0; j < n; j++) {
      linf = Math.max(linf, Math.abs(unit[r * n + j]!));
      l2 += delta[r * n + j]! ** 2;
    }
    // the anchors' sanity check: a perturbation outside the ball is a bug, never a result
    if (eps !== undefined && linf > eps * (1 + 1e-6) + 1e-12)
      throw new Error(`attack left the ℓ∞ ball: ‖δ‖∞ = ${linf} > ε = ${eps}`);
    acc.linfSum += linf;
    acc.linfMax = Math.max(acc.linfMax, linf);
    acc.l2Sum += Math.sqrt(l2);
    acc.count++;
  }
}
