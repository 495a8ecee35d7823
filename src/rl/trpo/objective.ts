/**
 * The objective TRPO minimizes inside its trust region (paper eq. 8):
 *   L(θ) = −E[π_θ(a|s)/π_old(a|s) · A]  +  λ_s · E[D_J(π_θ(·|s), π_θ(·|s̃))]
 * with s̃ = s + δ from the PGD inner maximization (TRPO-SR; plain TRPO has no second
 * term). Each part is a function of an explicit parameter list so the engine can
 * differentiate it; `sr2l inspect` rebuilds the same graph from a checkpoint.
 */
import type { Tensor } from '../../autograd/index.js';
import { gaussianLogLikelihood, sharedStdJeffreys } from './distributions.js';
import type { GaussianMlpPolicy, PolicyParams } from './gaussian-policy.js';

/** What one policy step sees (saved next to a checkpoint for inspect). */
export interface StepInputs {
  obs: Tensor;
  actions: Tensor;
  /** [B], centered */
  advantages: Tensor;
  /** log π_old(a|s), [B] */
  oldLogLik: Tensor;
  /** TRPO-SR: s + δ per state; null for plain TRPO */
  perturbedObs: Tensor | null;
}

export interface TrpoObjective {
  /** E[ratio · A] (to maximize) */
  surrogate(ps: PolicyParams): Tensor;
  /** λ_s · E[D_J], or null for plain TRPO */
  regularizer: ((ps: PolicyParams) => Tensor) | null;
  /** −surrogate + regularizer, as a function of the parameters spread out (for sr.grad) */
  loss(...ps: Tensor[]): Tensor;
  /** the same, given μ_θ(s) (when the caller needs it for something else too) */
  lossFrom(meanAtS: Tensor, ps: PolicyParams): Tensor;
}

export function trpoObjective(policy: GaussianMlpPolicy, x: StepInputs, lambdaS: number): TrpoObjective {
  // both terms read μ(s); computing it once saves a forward and a backward pass per evaluation
  const surrogateFrom = (meanAtS: Tensor, ps: PolicyParams): Tensor =>
    gaussianLogLikelihood(meanAtS, policy.logStdOf(ps), x.actions)
      .named('logLik')
      .sub(x.oldLogLik)
      .exp()
      .named('ratio')
      .mul(x.advantages)
      .mean()
      .named('surrogate');
  const perturbed = x.perturbedObs;
  const regularizerFrom = (meanAtS: Tensor, ps: PolicyParams): Tensor =>
    sharedStdJeffreys(meanAtS, policy.mean(perturbed!, ps).named('mean(s+δ)'), policy.logStdOf(ps))
      .named('D_J')
      .mean()
      .mul(lambdaS)
      .named('regularizer');
  const meanAt = (ps: PolicyParams): Tensor => policy.mean(x.obs, ps).named('mean(s)');
  const lossFrom = (mu: Tensor, ps: PolicyParams): Tensor => {
    const l = surrogateFrom(mu, ps).neg();
    return (perturbed ? l.add(regularizerFrom(mu, ps)) : l).named('loss');
  };
  return {
    surrogate: (ps) => surrogateFrom(meanAt(ps), ps),
    regularizer: perturbed ? (ps) => regularizerFrom(meanAt(ps), ps) : null,
    loss: (...ps: Tensor[]) => lossFrom(meanAt(ps), ps),
    lossFrom,
  };
}
