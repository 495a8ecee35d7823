/**
 * The line search's evaluation at a trial point, compiled once per trainer: [loss, mean KL]
 * at the parameters written now, both from one forward pass μ_θ(s). The single trainer
 * and a population's batched step share it (their loss and KL differ: scalars there,
 * per-member [S] here).
 */
import * as sr from '../../autograd/index.js';
import type { Tensor } from '../../autograd/index.js';
import type { KlInputs } from './fisher.js';
import type { PolicyParams } from './gaussian-policy.js';
import type { StepInputs } from './objective.js';
import type { MeanPolicy } from './perturbation-search.js';

/** `loss` and `kl` get μ_θ(s) at the parameters `ps`; `policyOf` is read when it traces. */
export function compiledLossAndKl(
  policyOf: () => MeanPolicy,
  loss: (x: StepInputs, mu: Tensor, ps: PolicyParams) => Tensor,
  kl: (old: KlInputs, mu: Tensor, ps: PolicyParams) => Tensor,
  name: string,
): sr.CompiledFunction<[StepInputs, KlInputs], Tensor[]> {
  return sr.compile(
    (x: StepInputs, old: KlInputs) => {
      const policy = policyOf();
      const params = policy.paramList();
      return sr.noGrad(() => {
        const mu = policy.mean(x.obs, params);
        return [loss(x, mu, params), kl(old, mu, params)];
      });
    },
    { name, fuse: true },
  );
}
