/**
 * The optimal attack's MDP (Zhang et al. 2021, "Robust RL on state observations with
 * learned optimal adversary"): with the victim frozen, an adversary that perturbs the
 * victim's observation faces an ordinary MDP. Its observation is the true state s, its
 * action a ∈ [−1, 1]ⁿ sets δ = ε · scale ⊙ a (the ℓ∞ ball, per-dimension scale optional),
 * the victim acts μ(s + δ) on the real environment, and the adversary's reward is minus
 * the victim's. Any RL algorithm that trains on an Env can then learn the attack.
 */
import * as sr from '../../autograd/index.js';
import { type Box, box } from '../../envs/core/space.js';
import type { Env, ResetOptions, ResetResult, StepResult } from '../../envs/core/env.js';
import type { EvalPolicy } from './policy.js';

export class AdversaryEnv implements Env {
  readonly id: string;
  readonly observationSpace: Box;
  readonly actionSpace: Box;
  readonly dt: number;
  private readonly trueObs: Float64Array;
  private readonly seen: Float64Array;
  private readonly victimAction: Float64Array;

  /**
   * @param victimEnv the task the victim acts in (owned: closed with this env)
   * @param victim the frozen policy; evaluated synchronously, so on the CPU backend
   * @param eps radius of the ℓ∞ ball
   * @param scale per-dimension scale of the ball (ε in units of each dimension's std), or null
   */
  constructor(
    private readonly victimEnv: Env,
    private readonly victim: EvalPolicy,
    private readonly eps: number,
    private readonly scale: Float64Array | null = null,
  ) {
    const n = victimEnv.observationSpace.shape[0]!;
    if (victim.obsDim !== n)
      throw new RangeError(`AdversaryEnv: the victim takes ${victim.obsDim} inputs, the env observes ${n}`);
    if (!(Number.isFinite(eps) && eps >= 0))
      throw new RangeError(`AdversaryEnv: eps must be a finite number ≥ 0, got ${eps}`);
    if (scale && scale.length !== n)
      throw new RangeError(`AdversaryEnv: scale has ${scale.length} entries, the observation ${n}`);
    this.id = `adversary(${victimEnv.id})`;
    this.observationSpace = victimEnv.observationSpace;
    this.actionSpace = box(n, -1, 1);
    this.dt = victimEnv.dt;
    this.trueObs = new Float64Array(n);
    this.seen = new Float64Array(n);
    this.victimAction = new Float64Array(victim.actDim);
  }

  get closed(): boolean {
    return this.victimEnv.closed;
  }

  reset(options?: ResetOptions): ResetResult {
    const r = this.victimEnv.reset(options);
    this.trueObs.set(r.obs);
    return r;
  }

  step(action: ArrayLike<number>): StepResult {
    const n = this.trueObs.length;
    for (let j = 0; j < n; j++) {
      const a = Math.min(1, Math.max(-1, action[j]!));
      this.seen[j] = this.trueObs[j]! + this.eps * (this.scale ? this.scale[j]! : 1) * a;
    }
    const mu = sr
      .noGrad(() => this.victim.mean(sr.tensor(this.seen, { shape: [1, n], dtype: this.victim.dtype })))
      .dataSync();
    const { low, high } = this.victimEnv.actionSpace;
    for (let j = 0; j < this.victimAction.length; j++)
      this.victimAction[j] = Math.min(high[j]!, Math.max(low[j]!, mu[j]!));
    const r = this.victimEnv.step(this.victimAction);
    this.trueObs.set(r.obs);
    return { ...r, reward: -r.reward, info: { ...r.info, victimReward: r.reward } };
  }

  close(): void {
    this.victimEnv.close();
  }
}
