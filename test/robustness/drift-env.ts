/**
 * A 1-D task whose attacks have closed forms: x' = x + a, reward −x'², 20 steps, x₀ ~ U(−1, 1).
 * The victim μ(o) = −o steers to 0 in one step, so under an observation perturbation δ it
 * lands on x' = −δ and earns −δ² per step: clean return 0, the uniform random attack
 * E = −20ε²/3, the optimal attack (|δ| = ε every step) −20ε².
 */
import * as sr from '../../src/index.js';
import { BaseEnv, TimeLimit, box, type Env, type StepInfo } from '../../src/envs/index.js';
import { type EvalPolicy, mlpPolicy } from '../../src/rl/robustness/index.js';
import type { Rng } from '../../src/util/rng.js';

export const DRIFT_STEPS = 20;

class DriftEnv extends BaseEnv {
  readonly observationSpace = box(1, -Infinity, Infinity);
  readonly actionSpace = box(1, -3, 3);
  readonly dt = 1;
  private x = 0;
  private readonly obs = new Float64Array(1);

  constructor() {
    super('Drift1D');
  }
  protected resetState(rng: Rng): StepInfo {
    this.x = rng.uniform(-1, 1);
    return {};
  }
  protected advance(action: ArrayLike<number>): { reward: number; terminated: boolean; info: StepInfo } {
    this.x += Math.min(3, Math.max(-3, action[0]!));
    return { reward: -this.x * this.x, terminated: false, info: {} };
  }
  protected observation(): Float64Array {
    this.obs[0] = this.x;
    return this.obs;
  }
}

export const makeDrift = async (): Promise<Env> => new TimeLimit(new DriftEnv(), DRIFT_STEPS);

/** μ(o) = −o */
export function driftVictim(): EvalPolicy {
  return mlpPolicy({
    weights: [sr.tensor([-1], { shape: [1, 1], dtype: 'float64' })],
    biases: [sr.zeros([1], { dtype: 'float64' })],
  });
}
