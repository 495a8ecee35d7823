/**
 * The Fisher-vector product TRPO's conjugate gradient needs, from the engine: F·v is the
 * Hessian-vector product (gradient of ∇f·v) of f(θ) = mean_s KL(π_old(·|s) ‖ π_θ(·|s))
 * at θ = θ_old, where π_old's outputs are constants. At that point the KL's Hessian is the
 * Fisher information matrix of the policy averaged over the batch. No hand-derived formula.
 */
import * as sr from '../../autograd/index.js';
import type { Tensor } from '../../autograd/index.js';
import { cloneTensor } from '../../nn/tensor-copy.js';
import type { CompiledSteps } from './compiled-steps.js';
import { gaussianKl } from './distributions.js';
import type { GaussianMlpPolicy } from './gaussian-policy.js';
import { readFlat, splitFlat } from '../params.js';

/** The states of an iteration and π_old's outputs there: what the mean KL is measured on. */
export interface KlInputs {
  obs: Tensor;
  /** μ_old(s) [B, actDim] */
  oldMean: Tensor;
  /** log σ_old [actDim]: a copy, so writing new parameters in place leaves it alone */
  oldLogStd: Tensor;
}

/**
 * π_old = the policy now, at the states `obs`. log σ_old is a copy: the line search writes
 * trial parameters in place, and a view of logStd would follow them (the KL would then
 * miss the change of σ).
 */
export function oldPolicyAt(policy: GaussianMlpPolicy, obs: Tensor): KlInputs {
  return { obs, oldMean: sr.noGrad(() => policy.mean(obs)), oldLogStd: cloneTensor(policy.logStd) };
}

/** mean KL(π_old ‖ π_θ) over the states of `x`, as a function of the parameters. */
export function meanKl(policy: GaussianMlpPolicy, x: KlInputs): (...ps: Tensor[]) => Tensor {
  return (...ps: Tensor[]) => meanKlFrom(x, policy.mean(x.obs, ps), policy.logStdOf(ps));
}

/** The same, given π_θ's outputs μ_θ(s) and log σ_θ. */
export function meanKlFrom(x: KlInputs, mean: Tensor, logStd: Tensor): Tensor {
  return gaussianKl(x.oldMean, x.oldLogStd, mean, logStd).mean();
}

/** mean KL(π_old ‖ π_θ) over the states `obs`, as a function of the parameters; π_old = the policy now. */
export function meanKlFromCurrent(policy: GaussianMlpPolicy, obs: Tensor): (...ps: Tensor[]) => Tensor {
  return meanKl(policy, oldPolicyAt(policy, obs));
}

/** v ↦ product(v) + damping·v on host vectors, through tensors shaped like `params`. */
export function damped(
  params: readonly Tensor[],
  product: (tangents: Tensor[]) => Tensor[],
  damping: number,
): (v: Float64Array) => Promise<Float64Array> {
  return async (v) => {
    const hv = await readFlat(product(splitFlat(params, v)));
    for (let i = 0; i < hv.length; i++) hv[i] = hv[i]! + damping * v[i]!;
    return hv;
  };
}

/**
 * v ↦ F·v + damping·v on host vectors, at the policy's current parameters (which must not
 * change while it is used: the KL's forward and first backward pass are built once, by
 * sr.hvpAt, and every product reuses them). Traces a program per call; a trainer keeps a
 * FisherProducts instead.
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
  return damped(params, fisherTimes, damping);
}

/**
 * A trainer's Fisher-vector products, compiled once: the iteration's states and π_old's
 * outputs are arguments, so every iteration replays the same program. They are hoisted
 * (compile's `hoist`): the KL's forward and first backward pass run once per iteration,
 * and each of conjugate gradient's products runs only the second backward pass, as
 * sr.hvpAt does eagerly (SR2L_COMPILE=0 runs exactly that, with the same results).
 * `kl(x)` is the mean KL on x as a function of the parameters (a population's sums its
 * members'); `params()` the live parameters it is differentiated at; `steps` lists the
 * program among its owner's compiled steps.
 */
export class FisherProducts {
  readonly compiled;

  constructor(
    private readonly params: () => Tensor[],
    private readonly kl: (x: KlInputs) => (...ps: Tensor[]) => Tensor,
    name: string,
    steps?: CompiledSteps,
  ) {
    this.compiled = sr.compile((x: KlInputs, tangents: Tensor[]) => sr.hvpAt(kl(x), params())(tangents), {
      name,
      hoist: [0],
      outputs: 'reuse',
      fuse: true,
    });
    steps?.add('fisherVectorProduct', this.compiled);
  }

  /**
   * tangents ↦ F·tangents at the parameters now (unchanged while it is used); the
   * returned tensors are overwritten by the next product.
   */
  at(x: KlInputs): (tangents: Tensor[]) => Tensor[] {
    if (!sr.compileEnabled()) return sr.hvpAt(this.kl(x), this.params());
    // the parameters changed in place since the last iteration
    this.compiled.refresh();
    return (tangents) => this.compiled(x, tangents);
  }
}
