/**
 * Ends an episode after `maxEpisodeSteps` steps with `truncated = true` (the locomotion
 * tasks use 1000, Gymnasium's registry value). Stepping on after truncation throws.
 */
import type { Env, ResetOptions, ResetResult, StepResult } from '../core/env.js';
import { Wrapper } from './wrapper.js';

export class TimeLimit extends Wrapper {
  private elapsed = 0;
  private finished = false;

  constructor(
    env: Env,
    readonly maxEpisodeSteps: number,
  ) {
    super(env);
    if (!Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps < 1) {
      throw new RangeError(`TimeLimit: maxEpisodeSteps must be a positive integer, got ${maxEpisodeSteps}`);
    }
  }

  /** Steps taken in the current episode. */
  get elapsedSteps(): number {
    return this.elapsed;
  }

  override reset(options?: ResetOptions): ResetResult {
    const r = this.env.reset(options);
    this.elapsed = 0;
    this.finished = false;
    return r;
  }

  override step(action: ArrayLike<number>): StepResult {
    if (this.finished && !this.env.closed) {
      throw new Error(
        `${this.id}: step() after the episode was truncated at ${this.maxEpisodeSteps} steps; call reset() first`,
      );
    }
    const r = this.env.step(action);
    this.elapsed++;
    if (this.elapsed >= this.maxEpisodeSteps) {
      r.truncated = true;
      this.finished = true;
    }
    return r;
  }
}
