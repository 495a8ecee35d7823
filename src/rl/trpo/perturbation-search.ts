/**
 * TRPO-SR's perturbation search (paper eq. 4–5, Algorithm 1): s̃ = s + δ, δ maximizing
 * D_J(π_old(·|s), π_old(·|s + δ)) in the ℓ∞ ball (or §4's dual form), compiled once per
 * trainer, with the progress columns' mean D_J and mean ‖δ‖∞. μ_old(s) does not depend on
 * δ, so it is an argument (computed once per iteration). The single trainer and a
 * population's batched step share it: `average` is a batch mean there, a per-member mean
 * over [S, B] here.
 */
import * as sr from '../../autograd/index.js';
import type { Tensor } from '../../autograd/index.js';
import { findPerturbation, type InnerMaxSettings } from '../smoothness/index.js';
import { sharedStdJeffreys } from './distributions.js';
import type { PolicyParams } from './gaussian-policy.js';

/** What the search needs of a (single or stacked) Gaussian policy. */
export interface MeanPolicy {
  paramList(): Tensor[];
  mean(obs: Tensor, params: PolicyParams): Tensor;
  logStdOf(params: PolicyParams): Tensor;
}

export interface PerturbationResult {
  perturbedObs: Tensor;
  /** mean D_J at the perturbed states */
  smoothness: Tensor;
  /** mean ‖δ‖∞ */
  linf: Tensor;
}

/** `policy` and `settings` are read when the search traces (owners build it in a field initializer). */
export function compiledPerturbationSearch(
  policyOf: () => MeanPolicy,
  settings: () => InnerMaxSettings,
  average: (t: Tensor) => Tensor,
  name: string,
): sr.CompiledFunction<[Tensor, Tensor], PerturbationResult> {
  return sr.compile(
    (obs: Tensor, meanAtS: Tensor): PerturbationResult => {
      const policy = policyOf();
      const frozen = policy.paramList().map((p) => p.detach());
      const pgd = findPerturbation(
        obs,
        (_s, sp) => sharedStdJeffreys(meanAtS, policy.mean(sp, frozen), policy.logStdOf(frozen)),
        settings(),
      );
      return {
        perturbedObs: obs.add(pgd.delta),
        smoothness: average(pgd.value),
        linf: average(pgd.delta.abs().max(-1)),
      };
    },
    { name, fuse: true },
  );
}
