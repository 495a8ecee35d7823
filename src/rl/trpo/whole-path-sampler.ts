/**
 * garage's on-policy sampler, for `--sampler whole-paths` (the garage-benchmark preset):
 * garage v2019.10.3's OnPolicyVectorizedSampler runs `n_envs` (4) environments in lockstep,
 * resets them all at the start of every iteration, and steps until the paths *completed*
 * so far hold at least batch_size steps; unfinished paths are dropped. Every path end,
 * time-limit cuts included, counts as terminal (its process_samples appends a value of 0
 * after each path). With 100-step paths and batch_size 1024 that is 3 rounds of 4 paths:
 * 1200 steps per iteration.
 *
 * Here one environment plays the n lockstep envs: whole paths are rolled one at a time for
 * the virtual env whose clock is lowest, and once every clock has passed the first tick T
 * at which the paths ending by T hold ≥ `size` steps, those paths form the batch. That is
 * the set garage's lockstep loop returns for the same paths. Nothing carries over between
 * iterations, so a snapshot is just the random streams (and the normalizer's state).
 */
import type { Env, NormalizeObservation } from '../../envs/index.js';
import { type EnvCalls, envCalls } from '../../envs/core/env-group.js';
import { Rng, type RngState } from '../../util/rng.js';
import { type Batch, emptyBatch, type SamplingPolicy } from './sampler.js';

export interface WholePathSnapshot {
  rng: RngState;
  exploration: RngState;
  normalizer: ReturnType<NormalizeObservation['getState']> | null;
}

interface Path {
  obs: Float64Array[];
  actions: Float64Array[];
  rewards: number[];
  /** the tick of the virtual env's clock at which the path completed */
  end: number;
  env: number;
}

export class WholePathSampler {
  readonly obsDim: number;
  readonly actDim: number;
  private readonly seeds: Rng;
  private readonly exploration: Rng;
  /** env calls: a population's worker-thread env queues them for one round with the other members' */
  private readonly calls: EnvCalls;

  constructor(
    readonly env: Env,
    readonly normalizer: NormalizeObservation | null,
    seed: number,
    /** clip the action sent to the env to the action space (the log-likelihood uses the sample) */
    readonly clipActions: boolean,
    /** garage's n_envs (n_parallel × 4 = 4) */
    readonly envs: number,
  ) {
    if (!(Number.isInteger(envs) && envs >= 1))
      throw new RangeError(`WholePathSampler: envs must be a positive integer, got ${envs}`);
    this.obsDim = env.observationSpace.shape[0]!;
    this.actDim = env.actionSpace.shape[0]!;
    const root = new Rng(seed);
    this.seeds = root.fork('episode-seeds');
    this.exploration = root.fork('exploration');
    this.calls = envCalls(env);
  }

  /** Whole paths of the stochastic policy until those completed hold ≥ `size` steps. */
  async sample(policy: SamplingPolicy, size: number): Promise<Batch> {
    const std = await policy.std();
    const clocks = new Array<number>(this.envs).fill(0);
    const paths: Path[] = [];
    for (;;) {
      const k = clocks.indexOf(Math.min(...clocks));
      const path = await this.rollPath(policy, std, k);
      clocks[k]! += path.rewards.length;
      path.end = clocks[k]!;
      paths.push(path);
      // ticks up to min(clocks) are settled: every virtual env has finished its paths there
      const settled = Math.min(...clocks);
      const ends = paths.filter((p) => p.end <= settled).sort((a, b) => a.end - b.end || a.env - b.env);
      let total = 0;
      for (const p of ends) {
        total += p.rewards.length;
        if (total < size) continue;
        const stop = p.end;
        return this.toBatch(ends.filter((q) => q.end <= stop));
      }
    }
  }

  private async rollPath(policy: SamplingPolicy, std: Float64Array, env: number): Promise<Path> {
    const { actDim } = this;
    const { low, high } = this.env.actionSpace;
    const path: Path = { obs: [], actions: [], rewards: [], end: 0, env };
    let obs = (await this.calls.reset({ seed: this.seeds.int(0x100000000) })).obs.slice();
    const mean = new Float64Array(actDim);
    const envAction = new Float64Array(actDim);
    for (;;) {
      await policy.meanAt(obs, mean);
      const a = new Float64Array(actDim);
      for (let j = 0; j < actDim; j++) {
        a[j] = mean[j]! + std[j]! * this.exploration.normal();
        envAction[j] = this.clipActions ? Math.min(high[j]!, Math.max(low[j]!, a[j]!)) : a[j]!;
      }
      const r = await this.calls.step(envAction);
      path.obs.push(obs);
      path.actions.push(a);
      path.rewards.push(r.reward);
      if (r.terminated || r.truncated) return path;
      obs = r.obs.slice();
    }
  }

  private toBatch(paths: Path[]): Batch {
    const { obsDim, actDim } = this;
    const size = paths.reduce((n, p) => n + p.rewards.length, 0);
    const batch = emptyBatch(size, obsDim, actDim);
    let i = 0;
    for (const p of paths) {
      const start = i;
      p.rewards.forEach((r, t) => {
        batch.obs.set(p.obs[t]!, i * obsDim);
        batch.actions.set(p.actions[t]!, i * actDim);
        batch.rewards[i] = r;
        batch.t[i] = t;
        i++;
      });
      // garage: every path end is terminal, time-limit cuts included
      batch.segments.push({ start, end: i, terminated: true, nextObs: null, nextT: p.rewards.length });
      batch.episodeReturns.push(p.rewards.reduce((a, b) => a + b, 0));
      batch.episodeLengths.push(p.rewards.length);
    }
    return batch;
  }

  snapshot(): WholePathSnapshot {
    return {
      rng: this.seeds.getState(),
      exploration: this.exploration.getState(),
      normalizer: this.normalizer ? this.normalizer.getState() : null,
    };
  }

  restore(s: WholePathSnapshot): void {
    this.seeds.setState(s.rng);
    this.exploration.setState(s.exploration);
    if (this.normalizer) {
      if (!s.normalizer)
        throw new Error('sampler snapshot has no normalizer state but the run normalizes observations');
      this.normalizer.setState(s.normalizer);
    }
  }
}
