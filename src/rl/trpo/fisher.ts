/**
 * The Fisher-vector product TRPO's conjugate gradient needs, from the engine: F·v is the
 * Hessian-vector product (gradient of ∇f·v) of f(θ) = mean_s KL(π_old(·|s) ‖ π_θ(·|s))
 * at θ = θ_old, where π_old's outputs are constants. At that point the KL's Hessian is the
 * Fisher information matrix of the policy averaged over the batch. No hand-derived formula.
 */
import * as sr from '../../autograd/index.js';
import type { Tensor } from '../../autograd/index.js';
import { cloneTensor } from '../../nn/tensor-copy.js';
import { gaussianKl } from './distributions.js';
import type { GaussianMlpPolicy } from './gaussian-policy.js';
import { readFlat, splitFlat } from '../params.js';

/** mean KL(π_old ‖ π_θ) over the states `obs`, as a function of the parameters; π_old = the policy now. */
export function meanKlFromCurrent(policy: GaussianMlpPolicy, obs: Tensor): (...ps: Tensor[]) => Tensor {
  // log σ_old is a copy: the line search writes trial parameters in place, and a view of
  // logStd would follow them (the KL would then miss the change of σ)
  const old = sr.noGrad(() => ({ mean: policy.mean(obs), logStd: cloneTensor(policy.logStd) }));
  return (...ps: Tensor[]) =>
    gaussianKl(old.mean, old.logStd, policy.mean(obs, ps), policy.logStdOf(ps)).mean();
}

/**
 * v ↦ F·v + damping·v on host vectors, at the policy's current parameters (which must not
 * change while it is used: the KL's forward and first backward pass are built once, by
 * sr.hvpAt, and every product reuses them).
 */
export function fisherVectorProduct(
  policy: GaussianMlpPolicy,
  meanKl: (...ps: Tensor[]) => Tensor,
  damping: number,
): (v: Float64Array) => Promise<Float64Array> {
  const params = policy.paramList();
  const atParams = sr.hvpAt(meanKl, params);
  // each product replays the traced second backward pass (CG asks for ~10 per iteration);
  // the results are read right away, so the program's own tensors can be returned
  const fisherTimes = sr.compile((tangents: Tensor[]) => atParams(tangents), {
    name: 'fisherVectorProduct',
    outputs: 'reuse',
    fuse: true,
  });
  return async (v) => {
    const hv = await readFlat(fisherTimes(splitFlat(params, v)));
    for (let i = 0; i < hv.length; i++) hv[i] = hv[i]! + damping * v[i]!;
    return hv;
  };
}
