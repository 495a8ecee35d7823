/**
 * Pendulum-v1 (gym classic control, plain TypeScript): swing a pendulum up and hold it.
 * θ = 0 is upright. Dynamics (semi-implicit Euler, dt 0.05, g 10, m 1, l 1):
 *   θ̇ ← clip(θ̇ + (3g/(2l)·sin θ + 3/(ml²)·u)·dt, ±8);  θ ← θ + θ̇·dt
 * with u = clip(action, ±2). Reward −(norm(θ)² + 0.1·θ̇² + 0.001·u²), θ normalized to
 * [−π, π), computed on the state before the update. obs = [cos θ, sin θ, θ̇]. Reset: θ ~
 * U(−π, π), θ̇ ~ U(−1, 1). It never terminates; the registry adds a 200-step limit.
 */
import type { Rng } from '../../util/rng.js';
import { BaseEnv } from '../core/base-env.js';
import type { StepInfo } from '../core/env.js';
import { type Box, box } from '../core/space.js';

const MAX_SPEED = 8;
const MAX_TORQUE = 2;

export interface PendulumOptions {
  /** gravity, m/s² (gym default 10) */
  g?: number;
}

export class PendulumEnv extends BaseEnv {
  readonly observationSpace: Box = box(3, [-1, -1, -MAX_SPEED], [1, 1, MAX_SPEED]);
  readonly actionSpace: Box = box(1, -MAX_TORQUE, MAX_TORQUE);
  readonly dt = 0.05;
  private readonly g: number;
  private theta = 0;
  private thetaDot = 0;
  private readonly obs = new Float64Array(3);

  constructor(opts: PendulumOptions = {}) {
    super('Pendulum-v1');
    this.g = opts.g ?? 10;
  }

  /** Current [θ, θ̇] (for tests and analysis). */
  get state(): [number, number] {
    return [this.theta, this.thetaDot];
  }

  protected resetState(rng: Rng): StepInfo {
    this.theta = rng.uniform(-Math.PI, Math.PI);
    this.thetaDot = rng.uniform(-1, 1);
    return {};
  }

  protected advance(action: ArrayLike<number>): { reward: number; terminated: boolean; info: StepInfo } {
    const u = Math.min(MAX_TORQUE, Math.max(-MAX_TORQUE, action[0]!));
    const th = this.theta;
    const thDot = this.thetaDot;
    const a = angleNormalize(th);
    const cost = a * a + 0.1 * thDot * thDot + 0.001 * u * u;
    const m = 1;
    const l = 1;
    let newThDot = thDot + (((3 * this.g) / (2 * l)) * Math.sin(th) + (3 / (m * l * l)) * u) * this.dt;
    newThDot = Math.min(MAX_SPEED, Math.max(-MAX_SPEED, newThDot));
    this.theta = th + newThDot * this.dt;
    this.thetaDot = newThDot;
    return { reward: -cost, terminated: false, info: { cost } };
  }

  protected observation(): Float64Array {
    this.obs[0] = Math.cos(this.theta);
    this.obs[1] = Math.sin(this.theta);
    this.obs[2] = this.thetaDot;
    return this.obs;
  }
}

/** θ mapped to [−π, π). */
export function angleNormalize(x: number): number {
  const twoPi = 2 * Math.PI;
  return ((((x + Math.PI) % twoPi) + twoPi) % twoPi) - Math.PI;
}
