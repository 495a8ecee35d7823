/**
 * Observation perturbation for robustness evaluation: the agent sees
 * `perturb(trueObs, context)` while the physics keeps the true state. The function gets a
 * private copy of the true observation (it may write into it and return it) and must
 * return an array of the same length. `lastTrueObs` keeps the unperturbed observation.
 */
import type { Env, ResetOptions, ResetResult, StepResult } from '../core/env.js';
import { boxSize } from '../core/space.js';
import { Wrapper } from './wrapper.js';

export interface PerturbContext {
  /** steps taken in this episode before this observation (0 after reset) */
  step: number;
  env: Env;
}

export type ObservationPerturbation = (obs: Float64Array, ctx: PerturbContext) => ArrayLike<number>;

export class PerturbObservation extends Wrapper {
  private readonly trueObs: Float64Array;
  private readonly seen: Float64Array;
  private steps = 0;

  constructor(
    env: Env,
    readonly perturb: ObservationPerturbation,
  ) {
    super(env);
    const n = boxSize(env.observationSpace);
    this.trueObs = new Float64Array(n);
    this.seen = new Float64Array(n);
  }

  /** The unperturbed observation of the last reset/step. */
  get lastTrueObs(): Float64Array {
    return this.trueObs;
  }

  override reset(options?: ResetOptions): ResetResult {
    const r = this.env.reset(options);
    this.steps = 0;
    return { obs: this.apply(r.obs), info: r.info };
  }

  override step(action: ArrayLike<number>): StepResult {
    const r = this.env.step(action);
    this.steps++;
    r.obs = this.apply(r.obs);
    return r;
  }

  private apply(obs: Float64Array): Float64Array {
    this.trueObs.set(obs);
    this.seen.set(obs);
    const out = this.perturb(this.seen, { step: this.steps, env: this.env });
    if (out.length !== this.seen.length) {
      throw new RangeError(
        `PerturbObservation: perturbation returned length ${out.length}, expected ${this.seen.length}`,
      );
    }
    if (out !== this.seen) for (let i = 0; i < out.length; i++) this.seen[i] = out[i]!;
    return this.seen;
  }
}
