/**
 * Running observation normalization: obs ← clip((obs − mean) / √(var + ε), ±clip), with
 * mean/var updated from every observation seen (reset and step) by the parallel-variance
 * rule, as Gymnasium's `NormalizeObservation` / SB3's `VecNormalize`. `frozen = true`
 * stops the updates (evaluation); `getState`/`setState` save and restore the statistics
 * with a checkpoint.
 */
import type { Env, ResetOptions, ResetResult, StepResult } from '../core/env.js';
import { boxSize } from '../core/space.js';
import { Wrapper } from './wrapper.js';

export interface RunningMeanStdState {
  mean: number[];
  var: number[];
  count: number;
}

/** Streaming mean and variance of fixed-length vectors. */
export class RunningMeanStd {
  readonly mean: Float64Array;
  readonly var: Float64Array;
  /** Starts at a tiny pseudo-count (1e-4, as Gymnasium) so the first update dominates. */
  count = 1e-4;

  constructor(readonly size: number) {
    this.mean = new Float64Array(size);
    this.var = new Float64Array(size).fill(1);
  }

  update(x: ArrayLike<number>): void {
    const total = this.count + 1;
    for (let i = 0; i < this.size; i++) {
      const delta = x[i]! - this.mean[i]!;
      this.mean[i] = this.mean[i]! + delta / total;
      // M2 combination of the old statistics with one sample (batch variance 0)
      const m2 = this.var[i]! * this.count + (delta * delta * this.count) / total;
      this.var[i] = m2 / total;
    }
    this.count = total;
  }

  getState(): RunningMeanStdState {
    return { mean: Array.from(this.mean), var: Array.from(this.var), count: this.count };
  }

  setState(s: RunningMeanStdState): void {
    if (!s || s.mean?.length !== this.size || s.var?.length !== this.size || !(s.count > 0)) {
      throw new TypeError(`RunningMeanStd.setState: expected mean/var of length ${this.size} and count > 0`);
    }
    this.mean.set(s.mean);
    this.var.set(s.var);
    this.count = s.count;
  }
}

export interface NormalizeObservationOptions {
  /** added to the variance before the square root (default 1e-8) */
  epsilon?: number;
  /** clip normalized entries to ±clip (default 10, as SB3; Infinity disables) */
  clip?: number;
}

export class NormalizeObservation extends Wrapper {
  readonly stats: RunningMeanStd;
  /** When true the statistics are used but no longer updated. */
  frozen = false;
  private readonly out: Float64Array;
  private readonly epsilon: number;
  private readonly clip: number;

  constructor(env: Env, opts: NormalizeObservationOptions = {}) {
    super(env);
    const n = boxSize(env.observationSpace);
    this.stats = new RunningMeanStd(n);
    this.out = new Float64Array(n);
    this.epsilon = opts.epsilon ?? 1e-8;
    this.clip = opts.clip ?? 10;
  }

  override reset(options?: ResetOptions): ResetResult {
    const r = this.env.reset(options);
    return { obs: this.normalize(r.obs), info: r.info };
  }

  override step(action: ArrayLike<number>): StepResult {
    const r = this.env.step(action);
    r.obs = this.normalize(r.obs);
    return r;
  }

  /** Normalizes `obs` with the current statistics, without updating them. */
  apply(obs: ArrayLike<number>, out: Float64Array = new Float64Array(this.out.length)): Float64Array {
    const { mean, var: variance } = this.stats;
    for (let i = 0; i < out.length; i++) {
      const z = (obs[i]! - mean[i]!) / Math.sqrt(variance[i]! + this.epsilon);
      out[i] = z < -this.clip ? -this.clip : z > this.clip ? this.clip : z;
    }
    return out;
  }

  getState(): RunningMeanStdState & { frozen: boolean } {
    return { ...this.stats.getState(), frozen: this.frozen };
  }

  setState(s: RunningMeanStdState & { frozen?: boolean }): void {
    this.stats.setState(s);
    if (s.frozen !== undefined) this.frozen = s.frozen;
  }

  private normalize(obs: Float64Array): Float64Array {
    if (!this.frozen) this.stats.update(obs);
    return this.apply(obs, this.out);
  }
}
