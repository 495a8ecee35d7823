/**
 * Episode statistics: when an episode ends (terminated or truncated) the step's info
 * gets `episodeReturn` (undiscounted sum of rewards) and `episodeLength`, and the pair
 * is appended to `history` (the last `historySize` episodes).
 */
import type { Env, ResetOptions, ResetResult, StepResult } from '../core/env.js';
import { Wrapper } from './wrapper.js';

export interface EpisodeRecord {
  return: number;
  length: number;
}

export class EpisodeStatistics extends Wrapper {
  readonly history: EpisodeRecord[] = [];
  private ret = 0;
  private len = 0;

  constructor(
    env: Env,
    readonly historySize = 100,
  ) {
    super(env);
  }

  /** Return and length of the episode in progress. */
  get current(): EpisodeRecord {
    return { return: this.ret, length: this.len };
  }

  override reset(options?: ResetOptions): ResetResult {
    const r = this.env.reset(options);
    this.ret = 0;
    this.len = 0;
    return r;
  }

  override step(action: ArrayLike<number>): StepResult {
    const r = this.env.step(action);
    this.ret += r.reward;
    this.len++;
    if (r.terminated || r.truncated) {
      r.info.episodeReturn = this.ret;
      r.info.episodeLength = this.len;
      this.history.push({ return: this.ret, length: this.len });
      if (this.history.length > this.historySize) this.history.shift();
    }
    return r;
  }
}
