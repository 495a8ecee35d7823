/**
 * InvertedPendulum-v5 (Gymnasium `inverted_pendulum_v5.py`): keep a pole upright on a
 * cart. obs = [cart x, pole angle, cart ẋ, pole ω]; reward 1 per step while |angle| ≤ 0.2
 * and the obs is finite, else the episode terminates with reward 0. frame_skip 2 (dt 0.04),
 * reset noise U(±0.01) on qpos and qvel.
 */
import type { Rng } from '../../util/rng.js';
import type { StepInfo } from '../core/env.js';
import { type Box, box } from '../core/space.js';
import { invertedPendulumXml } from '../assets/inverted-pendulum.js';
import { MujocoEnv } from './mujoco-env.js';

export interface InvertedPendulumOptions {
  frameSkip?: number;
  resetNoiseScale?: number;
}

export class InvertedPendulumEnv extends MujocoEnv {
  readonly observationSpace: Box;
  private readonly obs = new Float64Array(4);
  private readonly noise: number;

  constructor(opts: InvertedPendulumOptions = {}) {
    super(
      'InvertedPendulum-v5',
      { name: 'inverted-pendulum', xml: invertedPendulumXml },
      opts.frameSkip ?? 2,
    );
    this.noise = opts.resetNoiseScale ?? 0.01;
    this.observationSpace = box(4, -Infinity, Infinity);
  }

  protected resetState(rng: Rng): StepInfo {
    const s = this.noise;
    this.setNoisyState(
      () => rng.uniform(-s, s),
      () => rng.uniform(-s, s),
    );
    return {};
  }

  protected advance(action: ArrayLike<number>): { reward: number; terminated: boolean; info: StepInfo } {
    this.simulate(action);
    const o = this.observation();
    let finite = true;
    for (let i = 0; i < 4; i++) finite &&= Number.isFinite(o[i]!);
    const terminated = !finite || Math.abs(o[1]!) > 0.2;
    const reward = terminated ? 0 : 1;
    return { reward, terminated, info: { rewardSurvive: reward } };
  }

  protected observation(): Float64Array {
    const { qpos, qvel } = this.views.fresh();
    this.obs[0] = qpos[0]!;
    this.obs[1] = qpos[1]!;
    this.obs[2] = qvel[0]!;
    this.obs[3] = qvel[1]!;
    return this.obs;
  }
}
