/**
 * On-policy sampler: exactly `batchSize` environment steps per call, from one
 * environment whose episodes continue across calls (garage instead collects whole paths
 * from 4 lockstep envs until at least batch_size steps, rl-anchors §2.1; the paper's
 * "1K environment steps per iteration" is taken literally here).
 *
 * Each episode starts from `reset({seed})` with a seed drawn from the sampler's own
 * generator, and the sampler remembers the actions of the episode in progress. A
 * snapshot is therefore small (seed, actions, current observation) and restoring it
 * replays the episode from its seed, which reproduces the physics bit for bit: a resumed
 * run continues exactly where the checkpoint left it.
 */
import type { Env, NormalizeObservation } from '../../envs/index.js';
import { type EnvCalls, envCalls } from '../../envs/core/env-group.js';
import { Rng, type RngState } from '../../util/rng.js';
import type { GaussianMlpPolicy } from './gaussian-policy.js';

/** What a sampler asks of the policy: σ and μ(s) per step (a population serves it in lockstep). */
export type SamplingPolicy = Pick<GaussianMlpPolicy, 'std' | 'meanAt'>;

/** One stretch of consecutive steps of one episode inside a batch. */
export interface Segment {
  start: number;
  end: number;
  /** the last step ended the task (no bootstrap) */
  terminated: boolean;
  /** the observation after the last step when not terminated (time limit or batch cut): the baseline bootstraps from it */
  nextObs: Float64Array | null;
  /** episode step index of `nextObs` */
  nextT: number;
}

export interface Batch {
  size: number;
  obsDim: number;
  actDim: number;
  /** [size × obsDim] policy inputs (normalized when a normalizer is used) */
  obs: Float64Array;
  /** [size × actDim] sampled (unclipped) actions */
  actions: Float64Array;
  rewards: Float64Array;
  /** step index within the episode */
  t: Int32Array;
  segments: Segment[];
  /** undiscounted returns and lengths of the episodes that ended in this batch */
  episodeReturns: number[];
  episodeLengths: number[];
}

export interface SamplerSnapshot {
  rng: RngState;
  exploration: RngState;
  episodeSeed: number;
  /** env actions of the episode in progress, flattened */
  episodeActions: number[];
  obs: number[];
  t: number;
  episodeReturn: number;
  normalizer: ReturnType<NormalizeObservation['getState']> | null;
}

/** A batch of `size` steps with its arrays allocated and no segments yet. */
export function emptyBatch(size: number, obsDim: number, actDim: number): Batch {
  return {
    size,
    obsDim,
    actDim,
    obs: new Float64Array(size * obsDim),
    actions: new Float64Array(size * actDim),
    rewards: new Float64Array(size),
    t: new Int32Array(size),
    segments: [],
    episodeReturns: [],
    episodeLengths: [],
  };
}

export class OnPolicySampler {
  readonly obsDim: number;
  readonly actDim: number;
  private readonly low: Float64Array;
  private readonly high: Float64Array;
  private readonly seeds: Rng;
  private readonly exploration: Rng;
  /** env calls while sampling: a population's worker-thread env queues them for one round with the other members' */
  private readonly calls: EnvCalls;
  private obs: Float64Array;
  private t = 0;
  private episodeReturn = 0;
  private episodeSeed = 0;
  private episodeActions: number[] = [];
  private started = false;

  constructor(
    readonly env: Env,
    readonly normalizer: NormalizeObservation | null,
    seed: number,
    /** clip the action sent to the env to the action space (the log-likelihood uses the sample) */
    readonly clipActions = true,
  ) {
    this.obsDim = env.observationSpace.shape[0]!;
    this.actDim = env.actionSpace.shape[0]!;
    this.low = env.actionSpace.low;
    this.high = env.actionSpace.high;
    const root = new Rng(seed);
    this.seeds = root.fork('episode-seeds');
    this.exploration = root.fork('exploration');
    this.calls = envCalls(env);
    this.obs = new Float64Array(this.obsDim);
  }

  private async beginEpisode(): Promise<void> {
    this.episodeSeed = this.seeds.int(0x100000000);
    this.obs = (await this.calls.reset({ seed: this.episodeSeed })).obs.slice();
    this.t = 0;
    this.episodeReturn = 0;
    this.episodeActions = [];
    this.started = true;
  }

  /** Runs the stochastic policy for exactly `size` steps. */
  async sample(policy: SamplingPolicy, size: number): Promise<Batch> {
    if (!this.started) await this.beginEpisode();
    const { obsDim, actDim } = this;
    const batch = emptyBatch(size, obsDim, actDim);
    const std = await policy.std();
    const mean = new Float64Array(actDim);
    const envAction = new Float64Array(actDim);
    let segStart = 0;
    for (let i = 0; i < size; i++) {
      batch.obs.set(this.obs, i * obsDim);
      batch.t[i] = this.t;
      await policy.meanAt(this.obs, mean);
      for (let j = 0; j < actDim; j++) {
        const a = mean[j]! + std[j]! * this.exploration.normal();
        batch.actions[i * actDim + j] = a;
        envAction[j] = this.clipActions ? Math.min(this.high[j]!, Math.max(this.low[j]!, a)) : a;
      }
      const r = await this.calls.step(envAction);
      for (let j = 0; j < actDim; j++) this.episodeActions.push(envAction[j]!);
      batch.rewards[i] = r.reward;
      this.episodeReturn += r.reward;
      this.t++;
      if (r.terminated || r.truncated) {
        batch.segments.push({
          start: segStart,
          end: i + 1,
          terminated: r.terminated,
          nextObs: r.terminated ? null : r.obs.slice(),
          nextT: this.t,
        });
        batch.episodeReturns.push(this.episodeReturn);
        batch.episodeLengths.push(this.t);
        segStart = i + 1;
        await this.beginEpisode();
      } else {
        this.obs.set(r.obs);
      }
    }
    if (segStart < size) {
      batch.segments.push({
        start: segStart,
        end: size,
        terminated: false,
        nextObs: this.obs.slice(),
        nextT: this.t,
      });
    }
    return batch;
  }

  snapshot(): SamplerSnapshot {
    return {
      rng: this.seeds.getState(),
      exploration: this.exploration.getState(),
      episodeSeed: this.episodeSeed,
      episodeActions: this.episodeActions.slice(),
      obs: Array.from(this.obs),
      t: this.t,
      episodeReturn: this.episodeReturn,
      normalizer: this.normalizer ? this.normalizer.getState() : null,
    };
  }

  /** Puts the env back into the snapshot's state by replaying the episode in progress from its seed. */
  restore(s: SamplerSnapshot): void {
    if (s.obs.length !== this.obsDim || s.episodeActions.length !== s.t * this.actDim) {
      throw new Error(
        `sampler snapshot does not fit ${this.env.id}: obs ${s.obs.length} (expected ${this.obsDim}), ${s.episodeActions.length} actions for ${s.t} steps of ${this.actDim}`,
      );
    }
    this.seeds.setState(s.rng);
    this.exploration.setState(s.exploration);
    if (this.normalizer) this.normalizer.frozen = true;
    this.env.reset({ seed: s.episodeSeed });
    for (let k = 0; k < s.t; k++) {
      const r = this.env.step(s.episodeActions.slice(k * this.actDim, (k + 1) * this.actDim));
      if ((r.terminated || r.truncated) && k + 1 < s.t) {
        throw new Error(`sampler snapshot replay of ${this.env.id} ended early at step ${k + 1} of ${s.t}`);
      }
    }
    if (this.normalizer) {
      if (!s.normalizer)
        throw new Error('sampler snapshot has no normalizer state but the run normalizes observations');
      this.normalizer.setState(s.normalizer);
    }
    this.episodeSeed = s.episodeSeed;
    this.episodeActions = s.episodeActions.slice();
    this.obs = Float64Array.from(s.obs);
    this.t = s.t;
    this.episodeReturn = s.episodeReturn;
    this.started = true;
  }
}
