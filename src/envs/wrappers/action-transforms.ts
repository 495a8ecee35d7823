/**
 * Action wrappers. `ClipAction` clips to the action bounds before the environment sees
 * the action (so ctrl costs are paid on the clipped action, unlike the raw env).
 * `RescaleAction` exposes a [min, max] box (default [−1, 1]) and maps it affinely onto
 * the environment's bounds (garage's `normalize(env)` does this).
 */
import type { Env, StepResult } from '../core/env.js';
import { type Box, box, boxSize } from '../core/space.js';
import { Wrapper } from './wrapper.js';

export class ClipAction extends Wrapper {
  private readonly buf: Float64Array;

  constructor(env: Env) {
    super(env);
    this.buf = new Float64Array(boxSize(env.actionSpace));
  }

  override step(action: ArrayLike<number>): StepResult {
    const { low, high } = this.env.actionSpace;
    if (action.length !== this.buf.length) return this.env.step(action); // inner env reports the error
    for (let i = 0; i < this.buf.length; i++) {
      const a = action[i]!;
      this.buf[i] = a < low[i]! ? low[i]! : a > high[i]! ? high[i]! : a;
    }
    return this.env.step(this.buf);
  }
}

export class RescaleAction extends Wrapper {
  private readonly space: Box;
  private readonly buf: Float64Array;

  constructor(env: Env, min = -1, max = 1) {
    super(env);
    const n = boxSize(env.actionSpace);
    const { low, high } = env.actionSpace;
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(low[i]!) || !Number.isFinite(high[i]!)) {
        throw new RangeError(`RescaleAction: ${env.id} action bound ${i} is unbounded`);
      }
    }
    if (!(min < max)) throw new RangeError(`RescaleAction: need min < max, got [${min}, ${max}]`);
    this.space = box(n, min, max);
    this.buf = new Float64Array(n);
  }

  override get actionSpace(): Box {
    return this.space;
  }

  override step(action: ArrayLike<number>): StepResult {
    if (action.length !== this.buf.length) return this.env.step(action);
    const { low, high } = this.env.actionSpace;
    const min = this.space.low[0]!;
    const span = this.space.high[0]! - min;
    for (let i = 0; i < this.buf.length; i++) {
      this.buf[i] = low[i]! + ((action[i]! - min) / span) * (high[i]! - low[i]!);
    }
    return this.env.step(this.buf);
  }
}
