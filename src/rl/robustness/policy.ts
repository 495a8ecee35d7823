/**
 * What the robustness evaluation needs from a trained agent, kept narrow so TRPO's
 * Gaussian policy and DDPG's actor/critic both fit without depending on their classes.
 */
import type { Tensor } from '../../autograd/index.js';
import type { FloatDType } from '../../kernels/dtype.js';

export interface EvalPolicy {
  readonly obsDim: number;
  readonly actDim: number;
  /** dtype of the policy's parameters; observations are uploaded in it */
  readonly dtype: FloatDType;
  /**
   * The deterministic action μ(obs) for raw observations [B, obsDim] → [B, actDim], built
   * from differentiable tensor ops (the attacks differentiate through it). Any observation
   * normalization of the trained agent belongs inside.
   */
  mean(obs: Tensor): Tensor;
  /** log σ [actDim] of a Gaussian policy with state-independent std; absent for deterministic policies */
  readonly logStd?: Tensor;
}

/** Q(obs, act) for obs [B, obsDim], act [B, actDim] → [B]; differentiable in obs and act. */
export type Critic = (obs: Tensor, act: Tensor) => Tensor;

/** A loaded agent: its policy, and for actor-critic methods its critic (needed by the `critic` attack). */
export interface EvalAgent {
  policy: EvalPolicy;
  critic?: Critic;
}
