/**
 * DDPG (Lillicrap et al. 2015, paper §2.2) and its SR²L variants DDPG-SR-A and DDPG-SR-C
 * (paper §3.2, Algorithms 2 and 3), with garage19's training schedule:
 *
 *   every iteration (stepsPerIteration env steps):
 *     every cycle (stepsPerCycle env steps, acting with μ(s) + noise, clipped to the bounds):
 *       store each transition; at an episode's end reset the env and the noise
 *       once the buffer holds warmupSteps transitions: trainStepsPerCycle updates
 *         (ddpg-update.ts: critic, actor, targets; the SR penalties there)
 *     log one row: training-episode returns, a deterministic evaluation, losses, Q,
 *     regularizer, perturbation norm, updates per second
 *
 * Settings and their sources are in ddpg-config.ts. Every random stream (env resets,
 * evaluation resets, noise, minibatch sampling, PGD starts, weight init) is forked from
 * the one seed, and checkpoints hold all of them, so a resumed run continues exactly.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as sr from '../autograd/index.js';
import type { Tensor } from '../autograd/index.js';
import type { Env } from '../envs/core/env.js';
import { boxSize } from '../envs/core/space.js';
import { makeEnv } from '../envs/registry.js';
import type { Backend } from '../kernels/backend.js';
import { writeFileAtomic } from '../nn/atomic-write.js';
import { loadModule, loadOptimizer, saveModule, saveOptimizer } from '../nn/checkpoint.js';
import { Adam } from '../nn/optim/adam.js';
import { globalNorm } from '../nn/optim/clip.js';
import { loadSafetensors, saveSafetensors } from '../nn/safetensors.js';
import { Rng, type RngState } from '../util/rng.js';
import { resolveDdpgConfig, type DdpgConfig, type DdpgOverrides } from './ddpg-config.js';
import { Critic, DeterministicActor, type NetworkOptions } from './ddpg-networks.js';
import {
  ddpgUpdate,
  type BatchTensors,
  type DdpgLearner,
  type UpdateSettings,
  type UpdateStats,
} from './ddpg-update.js';
import { ExplorationNoise, type NoiseState } from './noise.js';
import { hardUpdate } from './polyak.js';
import { ReplayBuffer, type ReplayBufferState, type TransitionBatch } from './replay-buffer.js';

/** One progress.csv row (names follow garage/SB3 where one exists). NaN: not measured this iteration. */
export interface DdpgRow {
  Iteration: number;
  TotalEnvSteps: number;
  Updates: number;
  Episodes: number;
  /** mean return of the training (noisy) episodes that ended this iteration */
  AverageReturn: number;
  /** garage19's AverageReturn: running mean over every training episode so far */
  AverageReturnAllEpisodes: number;
  /** mean return of deterministic (noise-free) evaluation episodes */
  EvalReturn: number;
  CriticLoss: number;
  ActorLoss: number;
  QMean: number;
  /** mean SR penalty at s̃ (unweighted by λ); 0 for plain DDPG */
  Regularizer: number;
  /** mean ‖δ‖₂ of the PGD perturbations; 0 for plain DDPG */
  PerturbationNorm: number;
  UpdatesPerSecond: number;
  EnvStepsPerSecond: number;
  /** with logGrads: mean global gradient norms of the actor and critic losses */
  ActorGradNorm: number;
  CriticGradNorm: number;
  /** wall seconds of this iteration */
  Time: number;
}

export interface DdpgOptions {
  backend?: Backend;
  /** record gradient norms (the CLI's --log-grads) */
  logGrads?: boolean;
}

const STAT_KEYS = [
  'criticLoss',
  'actorLoss',
  'qMean',
  'regularizer',
  'perturbationNorm',
  'actorGradNorm',
  'criticGradNorm',
] as const;

const CHECKPOINT_FILES = {
  actor: 'actor.safetensors',
  critic: 'critic.safetensors',
  targetActor: 'target-actor.safetensors',
  targetCritic: 'target-critic.safetensors',
  actorOpt: 'actor-optimizer.safetensors',
  criticOpt: 'critic-optimizer.safetensors',
  replay: 'replay-buffer.safetensors',
  state: 'state.json',
} as const;

/** Everything in state.json: counters, random streams, noise, buffer position. */
interface TrainerState {
  format: 'sr2l.ddpg/1';
  iteration: number;
  envSteps: number;
  updates: number;
  episodes: number;
  returnSum: number;
  rng: Record<'envSeeds' | 'evalSeeds' | 'sampling' | 'perturb', RngState>;
  noise: NoiseState;
  buffer: ReplayBufferState;
}

export class Ddpg {
  readonly config: DdpgConfig;
  readonly env: Env;
  readonly evalEnv: Env;
  readonly learner: DdpgLearner;
  readonly buffer: ReplayBuffer;
  readonly noise: ExplorationNoise;
  readonly obsDim: number;
  readonly actDim: number;
  readonly logGrads: boolean;
  /** completed iterations */
  iteration = 0;
  envSteps = 0;
  updates = 0;
  episodes = 0;

  private readonly envSeeds: Rng;
  private readonly evalSeeds: Rng;
  private readonly sampling: Rng;
  private readonly perturb: sr.Generator;
  private readonly settings: UpdateSettings;
  private readonly hostBatch: TransitionBatch;
  private readonly low: Float64Array;
  private readonly high: Float64Array;
  private readonly halfRange: Float64Array;
  private readonly noiseBuf: Float64Array;
  private obs: Float64Array | null = null;
  private episodeReturn = 0;
  /** sum of every training episode's return (garage's running mean = returnSum / episodes) */
  private returnSum = 0;
  /** per-update statistics summed on the device since the last row */
  private readonly acc = new Map<string, Tensor>();
  private accCount = 0;

  /** Builds environments and networks for `overrides` applied to the preset. */
  static async create(overrides: DdpgOverrides = {}, opts: DdpgOptions = {}): Promise<Ddpg> {
    const config = resolveDdpgConfig(overrides);
    const envOpts = config.maxEpisodeSteps === null ? {} : { maxEpisodeSteps: config.maxEpisodeSteps };
    const [env, evalEnv] = await Promise.all([makeEnv(config.env, envOpts), makeEnv(config.env, envOpts)]);
    return new Ddpg(config, env, evalEnv, opts);
  }

  constructor(config: DdpgConfig, env: Env, evalEnv: Env, opts: DdpgOptions = {}) {
    this.config = config;
    this.env = env;
    this.evalEnv = evalEnv;
    this.logGrads = opts.logGrads ?? false;
    this.obsDim = boxSize(env.observationSpace);
    this.actDim = boxSize(env.actionSpace);
    this.low = env.actionSpace.low;
    this.high = env.actionSpace.high;
    this.halfRange = this.low.map((lo, i) => (this.high[i]! - lo) / 2);
    this.noiseBuf = new Float64Array(this.actDim);

    const root = new Rng(config.seed);
    const init = root.fork('init');
    this.envSeeds = root.fork('env');
    this.evalSeeds = root.fork('eval');
    this.sampling = root.fork('replay');
    this.perturb = new sr.Generator(root.fork('perturb'));
    this.noise = new ExplorationNoise(this.actDim, config.noise, root.fork('noise'));

    const net = (rng: Rng): NetworkOptions => ({
      hidden: config.hidden,
      activation: config.activation,
      dtype: config.dtype,
      backend: opts.backend,
      rng,
    });
    const actor = new DeterministicActor(this.obsDim, this.low, this.high, net(init.fork('actor')));
    const critic = new Critic(this.obsDim, this.actDim, net(init.fork('critic')));
    const targetActor = new DeterministicActor(this.obsDim, this.low, this.high, net(init.fork('actor')));
    const targetCritic = new Critic(this.obsDim, this.actDim, net(init.fork('critic')));
    hardUpdate(targetActor, actor);
    hardUpdate(targetCritic, critic);
    this.learner = {
      actor,
      critic,
      targetActor,
      targetCritic,
      actorOpt: new Adam(actor.namedParameters(), { lr: config.actorLr }),
      criticOpt: new Adam(critic.namedParameters(), { lr: config.criticLr }),
    };
    this.buffer = new ReplayBuffer({
      capacity: config.bufferSize,
      obsDim: this.obsDim,
      actDim: this.actDim,
      dtype: config.dtype,
    });
    this.hostBatch = this.buffer.allocateBatch(config.batchSize);
    const s = config.smoothness;
    this.settings = {
      algo: config.algo,
      gamma: config.gamma,
      tau: config.tau,
      lambda: s.lambda,
      criticRegBothTerms: s.criticRegBothTerms,
      perturbation: {
        eps: s.eps,
        steps: s.steps,
        stepSize: s.stepSizeRatio * s.eps,
        ascent: s.ascent,
        generator: this.perturb,
      },
    };
  }

  /** Iterations in the whole run. */
  get totalIterations(): number {
    return Math.ceil(this.config.totalSteps / this.config.stepsPerIteration);
  }

  get done(): boolean {
    return this.iteration >= this.totalIterations;
  }

  /** μ(s) for one observation, optionally plus exploration noise (normalized units), clipped to the bounds. */
  act(obs: ArrayLike<number>, explore: boolean): Float64Array {
    const { actor } = this.learner;
    const x = sr.tensor(Float64Array.from(obs), {
      shape: [1, this.obsDim],
      dtype: this.config.dtype,
      backend: this.backend,
    });
    const a = Float64Array.from(sr.noGrad(() => actor.forward(x)).dataSync());
    if (explore) this.noise.sample(this.noiseBuf);
    for (let i = 0; i < a.length; i++) {
      const v = explore ? a[i]! + this.halfRange[i]! * this.noiseBuf[i]! : a[i]!;
      a[i] = Math.min(this.high[i]!, Math.max(this.low[i]!, v));
    }
    return a;
  }

  private get backend(): Backend {
    return this.learner.actor.parameters()[0]!.backend;
  }

  private startEpisode(): void {
    this.obs = this.env.reset({ seed: this.envSeeds.nextUint32() }).obs.slice();
    this.noise.reset();
    this.episodeReturn = 0;
  }

  /** One environment step with exploration; returns the episode's return when it ended. */
  private collectStep(): number | null {
    if (!this.obs) this.startEpisode();
    const obs = this.obs!;
    const action = this.act(obs, true);
    const r = this.env.step(action);
    const terminal = r.terminated || (r.truncated && this.config.timeLimitAsTerminal);
    this.buffer.add(obs, action, r.reward, r.obs, terminal);
    this.envSteps++;
    this.episodeReturn += r.reward;
    if (r.terminated || r.truncated) {
      const ret = this.episodeReturn;
      this.episodes++;
      this.returnSum += ret;
      this.obs = null;
      return ret;
    }
    this.obs = r.obs.slice();
    return null;
  }

  /** A minibatch drawn from the buffer, as tensors on the networks' backend. */
  sampleBatch(): BatchTensors {
    const b = this.buffer.sampleInto(this.hostBatch, this.sampling);
    const n = b.size;
    const like = { dtype: this.config.dtype, backend: this.backend };
    return {
      obs: sr.tensor(b.obs, { shape: [n, this.obsDim], ...like }),
      action: sr.tensor(b.action, { shape: [n, this.actDim], ...like }),
      reward: sr.tensor(b.reward, { shape: [n], ...like }),
      nextObs: sr.tensor(b.nextObs, { shape: [n, this.obsDim], ...like }),
      terminal: sr.tensor(b.terminal, { shape: [n], ...like }),
    };
  }

  /** One gradient update on a fresh minibatch; statistics are accumulated on the device. */
  update(): UpdateStats {
    const batch = this.sampleBatch();
    const stats = ddpgUpdate(this.learner, batch, this.settings);
    this.updates++;
    const now: Record<string, Tensor> = { ...stats };
    if (this.logGrads) {
      now.actorGradNorm = this.lastGradNorm('actor');
      now.criticGradNorm = this.lastGradNorm('critic');
    }
    sr.noGrad(() => {
      for (const [k, t] of Object.entries(now)) {
        const prev = this.acc.get(k);
        this.acc.set(k, prev ? prev.add(t) : t);
      }
    });
    this.accCount++;
    return stats;
  }

  private lastGradNorm(which: 'actor' | 'critic'): Tensor {
    const opt = which === 'actor' ? this.learner.actorOpt : this.learner.criticOpt;
    // gradients are kept on the parameters until the next update's zeroGrad
    const grads = [...opt.params.values()].map((p) => p.grad).filter((g): g is Tensor => g !== null);
    return globalNorm(grads) ?? sr.zeros([], { dtype: this.config.dtype, backend: this.backend });
  }

  /** Mean return of `episodes` noise-free episodes on the evaluation environment. */
  evaluate(episodes = this.config.evalEpisodes): number {
    let total = 0;
    for (let e = 0; e < episodes; e++) {
      let obs = this.evalEnv.reset({ seed: this.evalSeeds.nextUint32() }).obs;
      for (;;) {
        const r = this.evalEnv.step(this.act(obs, false));
        total += r.reward;
        if (r.terminated || r.truncated) break;
        obs = r.obs;
      }
    }
    return total / episodes;
  }

  /** Runs one iteration (stepsPerIteration env steps and their updates) and returns its row. */
  async runIteration(): Promise<DdpgRow> {
    const c = this.config;
    const t0 = performance.now();
    let updateMs = 0;
    const returns: number[] = [];
    for (let cycle = 0; cycle < c.stepsPerIteration / c.stepsPerCycle; cycle++) {
      for (let k = 0; k < c.stepsPerCycle; k++) {
        const ret = this.collectStep();
        if (ret !== null) returns.push(ret);
      }
      if (this.buffer.size >= c.warmupSteps && this.buffer.size > 0) {
        const u0 = performance.now();
        for (let n = 0; n < c.trainStepsPerCycle; n++) this.update();
        updateMs += performance.now() - u0;
      }
    }
    this.iteration++;
    const evalReturn =
      c.evalEvery > 0 && (this.iteration % c.evalEvery === 0 || this.done) ? this.evaluate() : NaN;
    const { count: updatesDone, means } = await this.readStats();
    const time = (performance.now() - t0) / 1000;
    const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
    return {
      Iteration: this.iteration,
      TotalEnvSteps: this.envSteps,
      Updates: this.updates,
      Episodes: this.episodes,
      AverageReturn: mean(returns),
      AverageReturnAllEpisodes: this.episodes ? this.returnSum / this.episodes : NaN,
      EvalReturn: evalReturn,
      CriticLoss: means.criticLoss,
      ActorLoss: means.actorLoss,
      QMean: means.qMean,
      Regularizer: means.regularizer,
      PerturbationNorm: means.perturbationNorm,
      UpdatesPerSecond: updateMs > 0 ? updatesDone / (updateMs / 1000) : NaN,
      EnvStepsPerSecond: c.stepsPerIteration / (time - updateMs / 1000),
      ActorGradNorm: means.actorGradNorm,
      CriticGradNorm: means.criticGradNorm,
      Time: time,
    };
  }

  /** Reads the accumulated statistics once (the only readback of the updates) as means, and resets them. */
  private async readStats(): Promise<{ count: number; means: Record<string, number> }> {
    const means: Record<string, number> = {};
    for (const k of STAT_KEYS) {
      const t = this.acc.get(k);
      means[k] = t ? (await t.data())[0]! / this.accCount : NaN;
    }
    const count = this.accCount;
    this.acc.clear();
    this.accCount = 0;
    return { count, means };
  }

  /** Writes every piece of training state into `dir` (atomic per file; state.json last). */
  async saveCheckpoint(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    const l = this.learner;
    const stamp = { iteration: String(this.iteration) };
    const f = CHECKPOINT_FILES;
    await saveModule(join(dir, f.actor), l.actor, stamp);
    await saveModule(join(dir, f.critic), l.critic, stamp);
    await saveModule(join(dir, f.targetActor), l.targetActor, stamp);
    await saveModule(join(dir, f.targetCritic), l.targetCritic, stamp);
    await saveOptimizer(join(dir, f.actorOpt), l.actorOpt);
    await saveOptimizer(join(dir, f.criticOpt), l.criticOpt);
    if (this.buffer.size > 0) {
      const cols = this.buffer.columns();
      const tensors = Object.fromEntries(
        Object.entries(cols).map(([k, v]) => [k, sr.tensor(v, { shape: [v.length] })]),
      );
      await saveSafetensors(join(dir, f.replay), tensors, stamp);
    }
    const state: TrainerState = {
      format: 'sr2l.ddpg/1',
      iteration: this.iteration,
      envSteps: this.envSteps,
      updates: this.updates,
      episodes: this.episodes,
      returnSum: this.returnSum,
      rng: {
        envSeeds: this.envSeeds.getState(),
        evalSeeds: this.evalSeeds.getState(),
        sampling: this.sampling.getState(),
        perturb: this.perturb.getState(),
      },
      noise: this.noise.getState(),
      buffer: this.buffer.getState(),
    };
    await writeFileAtomic(join(dir, f.state), new TextEncoder().encode(JSON.stringify(state, null, 2)));
  }

  /**
   * Restores a checkpoint written by saveCheckpoint into this (freshly built, same config)
   * trainer. The episode that was running when it was written is not continued: the next
   * step starts a new one (the environment's physics state is not saved).
   */
  async loadCheckpoint(dir: string): Promise<void> {
    const f = CHECKPOINT_FILES;
    const statePath = join(dir, f.state);
    let state: TrainerState;
    try {
      state = JSON.parse(await readFile(statePath, 'utf8')) as TrainerState;
    } catch (e) {
      throw new Error(`ddpg checkpoint: cannot read ${statePath}: ${(e as Error).message}`);
    }
    if (state.format !== 'sr2l.ddpg/1')
      throw new Error(
        `ddpg checkpoint: ${statePath} has format '${String(state.format)}', expected 'sr2l.ddpg/1'`,
      );
    const l = this.learner;
    const check = (path: string, meta: Record<string, string>): void => {
      if (meta.iteration !== String(state.iteration))
        throw new Error(
          `ddpg checkpoint: ${path} is from iteration ${meta.iteration}, state.json from ${state.iteration} (an interrupted save?)`,
        );
    };
    for (const [key, module] of [
      ['actor', l.actor],
      ['critic', l.critic],
      ['targetActor', l.targetActor],
      ['targetCritic', l.targetCritic],
    ] as const) {
      const path = join(dir, f[key]);
      check(path, await loadModule(path, module));
    }
    await loadOptimizer(join(dir, f.actorOpt), l.actorOpt);
    await loadOptimizer(join(dir, f.criticOpt), l.criticOpt);
    const cols: Record<string, ArrayLike<number>> = {};
    if (state.buffer.size > 0) {
      const path = join(dir, f.replay);
      const { tensors, metadata } = await loadSafetensors(path);
      check(path, metadata);
      const entries = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
      for (const [k, t] of entries) cols[k] = (t as Tensor).dataSync();
    } else for (const k of ['obs', 'action', 'reward', 'nextObs', 'terminal']) cols[k] = [];
    this.buffer.load(state.buffer, cols, join(dir, f.replay));
    this.noise.setState(state.noise);
    this.envSeeds.setState(state.rng.envSeeds);
    this.evalSeeds.setState(state.rng.evalSeeds);
    this.sampling.setState(state.rng.sampling);
    this.perturb.setState(state.rng.perturb);
    this.iteration = state.iteration;
    this.envSteps = state.envSteps;
    this.updates = state.updates;
    this.episodes = state.episodes;
    this.returnSum = state.returnSum;
    this.obs = null;
  }

  close(): void {
    this.env.close();
    this.evalEnv.close();
  }
}

/** The trainer's state-dict keys and the progress columns, for docs and tests. */
export const DDPG_CHECKPOINT_FILES = CHECKPOINT_FILES;
