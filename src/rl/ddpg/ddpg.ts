/**
 * DDPG (Lillicrap et al. 2015, paper §2.2) and its SR²L variants DDPG-SR-A and DDPG-SR-C
 * (paper §3.2, Algorithms 2 and 3), with garage19's training schedule:
 *
 *   every iteration (stepsPerIteration env steps):
 *     every cycle (stepsPerCycle env steps, acting with μ(s) + noise, clipped to the bounds):
 *       store each transition; at an episode's end reset the env and the noise
 *       once the buffer holds warmupSteps transitions: trainStepsPerCycle updates
 *         (update.ts: critic, actor, targets; the SR penalties there)
 *     return one progress row: training-episode returns, losses, Q, regularizer,
 *     perturbation size, updates per second (the run loop adds the evaluation)
 *
 * Settings and their sources are in config.ts. Every random stream (env resets,
 * noise, minibatch sampling, PGD starts, weight init) is forked from the one seed. A
 * checkpoint holds all of them plus the running episode's reset seed and actions, which
 * are replayed on resume to rebuild the environment's state: a resumed run continues
 * exactly as an uninterrupted one (on the CPU backend).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as sr from '../../autograd/index.js';
import type { Tensor } from '../../autograd/index.js';
import type { Env, ResetResult, StepResult } from '../../envs/core/env.js';
import { envCalls } from '../../envs/core/env-group.js';
import { boxSize } from '../../envs/core/space.js';
import { makeEnv } from '../../envs/registry.js';
import type { Backend } from '../../kernels/backend.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { loadModule, loadOptimizer, saveModule, saveOptimizer } from '../../nn/checkpoint.js';
import { Rng, type RngState } from '../../util/rng.js';
import { resolveDdpgConfig, type DdpgConfig } from './config.js';
import { buildLearner } from './learner.js';
import type { NetworkOptions } from './networks.js';
import { ddpgUpdate, type BatchTensors, type DdpgLearner, type UpdateSettings } from './update.js';
import { ExplorationNoise, type NoiseState } from './noise.js';
import { ReplayBuffer, type ReplayBufferState, type TransitionBatch } from './replay-buffer.js';
import { readReplaySegments, writeReplaySegment } from './replay-segments.js';
import { openBackend } from '../compute-backend.js';
import { evaluatePolicy } from '../evaluate-policy.js';
import { innerMaxSettings } from '../smoothness/index.js';
import { CHECKPOINT_FILES } from './checkpoint-files.js';

/** One progress.csv row (names as TRPO's and garage's where one exists). NaN: not measured. */
export interface DdpgStats {
  Iteration: number;
  EnvSteps: number;
  Updates: number;
  /** training episodes that ended this iteration */
  NumEpisodes: number;
  /** mean return of the training (noisy) episodes that ended this iteration */
  AverageReturn: number;
  /** garage19's AverageReturn: running mean over every training episode so far */
  AverageReturnAllEpisodes: number;
  /** mean return of deterministic (noise-free) evaluation episodes (set by the run loop) */
  EvalReturn: number;
  /** mean TD loss (y − Q(s, a))² */
  CriticLoss: number;
  /** mean −Q(s, μ(s)) */
  ActorLoss: number;
  QMean: number;
  /** mean SR penalty at s̃ (before λ); 0 for plain DDPG */
  SmoothnessReg: number;
  /** mean ‖δ‖∞ of the PGD perturbations; 0 for plain DDPG */
  PerturbationLinf: number;
  /** mean ‖δ‖₂ of the PGD perturbations; 0 for plain DDPG */
  PerturbationL2: number;
  UpdatesPerSecond: number;
  /** seconds spent stepping environments / in updates this iteration */
  TimeSampling: number;
  TimeOptimize: number;
}

/** Gradient statistics summed on the device between rows, by progress column. */
export const ACCUMULATED = {
  CriticLoss: 'criticLoss',
  ActorLoss: 'actorLoss',
  QMean: 'qMean',
  SmoothnessReg: 'regularizer',
  PerturbationLinf: 'perturbationLinf',
  PerturbationL2: 'perturbationL2',
} as const;

/** The folder, beside a run's checkpoints, of its replay buffer segments. */
export const REPLAY_FOLDER = 'replay';

export { CHECKPOINT_FILES };

/** Everything in state.json: counters, random streams, noise, buffer position, the running episode. */
export interface DdpgState {
  format: 'sr2l.ddpg/1';
  iteration: number;
  envSteps: number;
  updates: number;
  episodes: number;
  returnSum: number;
  rng: Record<'envSeeds' | 'sampling' | 'perturb' | 'warmup', RngState>;
  noise: NoiseState;
  buffer: ReplayBufferState;
  /** the episode in progress: its reset seed, actions so far and return so far (null: none) */
  episode: { seed: number; actions: number[]; return: number } | null;
}

export class DdpgTrainer {
  readonly env: Env;
  readonly learner: DdpgLearner;
  readonly buffer: ReplayBuffer;
  readonly noise: ExplorationNoise;
  readonly obsDim: number;
  readonly actDim: number;
  /** completed iterations */
  iteration = 0;
  envSteps = 0;
  updates = 0;
  episodes = 0;

  private readonly backend: Backend;
  private readonly envSeeds: Rng;
  private readonly sampling: Rng;
  private readonly warmup: Rng;
  private readonly perturb: sr.Generator;
  private readonly settings: UpdateSettings;
  private readonly hostBatch: TransitionBatch;
  private readonly low: Float64Array;
  private readonly high: Float64Array;
  private readonly halfRange: Float64Array;
  private readonly noiseBuf: Float64Array;
  private obs: Float64Array | null = null;
  /** transitions already written to replay segments */
  private replaySaved = 0;
  private episodeSeed = 0;
  private episodeActions: number[] = [];
  private episodeReturn = 0;
  /** sum of every training episode's return (garage's running mean = returnSum / episodes) */
  private returnSum = 0;
  private readonly acc = new Map<string, Tensor>();
  private accCount = 0;

  /** Builds the environment and networks; every random stream derives from config.seed. */
  static async create(partial: Partial<DdpgConfig> | DdpgConfig = {}): Promise<DdpgTrainer> {
    const config = resolveDdpgConfig(partial as Record<string, unknown>);
    const backend = await openBackend(config.backend);
    return new DdpgTrainer(config, await makeEnv(config.env, envOptions(config)), backend);
  }

  constructor(
    readonly config: DdpgConfig,
    env: Env,
    backend: Backend,
  ) {
    this.env = env;
    this.backend = backend;
    this.obsDim = boxSize(env.observationSpace);
    this.actDim = boxSize(env.actionSpace);
    this.low = env.actionSpace.low;
    this.high = env.actionSpace.high;
    this.halfRange = this.low.map((lo, i) => (this.high[i]! - lo) / 2);
    this.noiseBuf = new Float64Array(this.actDim);

    const root = new Rng(config.seed);
    const init = root.fork('init');
    this.envSeeds = root.fork('env');
    this.sampling = root.fork('replay');
    this.perturb = new sr.Generator(root.fork('perturb'));
    this.warmup = root.fork('warmup');
    this.noise = new ExplorationNoise(
      this.actDim,
      { kind: config.noise, sigma: config.noiseSigma, theta: config.noiseTheta, dt: config.noiseDt },
      root.fork('noise'),
    );

    const rngs = { actor: init.fork('actor'), critic: init.fork('critic') };
    this.learner = buildLearner(
      {
        obsDim: this.obsDim,
        low: this.low,
        high: this.high,
        actorLr: config.actorLr,
        criticLr: config.criticLr,
      },
      (role): NetworkOptions => ({
        hidden: config.hidden,
        activation: 'relu',
        outputGain: config.outputInitGain,
        dtype: config.dtype,
        backend: this.backend,
        // the targets' initialization is overwritten by the copy
        rng: role === 'actor' || role === 'critic' ? rngs[role] : new Rng(0),
      }),
    );
    this.buffer = new ReplayBuffer({
      capacity: config.bufferSize,
      obsDim: this.obsDim,
      actDim: this.actDim,
      dtype: config.dtype,
    });
    this.hostBatch = this.buffer.allocateBatch(config.minibatchSize);
    this.settings = updateSettings(config, this.perturb);
  }

  /** μ(s) for one observation, clipped to the bounds; `explore` adds the noise (normalized units × half-range). */
  async act(
    obs: ArrayLike<number>,
    explore: boolean,
    out = new Float64Array(this.actDim),
  ): Promise<Float64Array> {
    const x = sr.tensor(Float64Array.from(obs), {
      shape: [1, this.obsDim],
      dtype: this.config.dtype,
      backend: this.backend,
    });
    const mu = sr.noGrad(() => this.learner.actor.forward(x));
    // the one readback per env step; asynchronous on the WebGPU backend
    out.set(this.backend.synchronous ? mu.dataSync() : await mu.data());
    return this.finishAction(out, explore);
  }

  /** The action taken from the policy's output μ(s) in `out` (in place): noise added when exploring, clipped to the bounds. */
  finishAction(out: Float64Array, explore: boolean): Float64Array {
    if (explore) this.noise.sample(this.noiseBuf);
    for (let i = 0; i < out.length; i++) {
      const v = explore ? out[i]! + this.halfRange[i]! * this.noiseBuf[i]! : out[i]!;
      out[i] = Math.min(this.high[i]!, Math.max(this.low[i]!, v));
    }
    return out;
  }

  /** The observation the next step acts on (an episode starts when none is running). */
  currentObs(): Float64Array {
    if (!this.obs) this.startEpisode();
    return this.obs!;
  }

  /** Whether the next step takes a uniform random warm-up action instead of the policy's. */
  get warmingUp(): boolean {
    return this.config.randomWarmup && this.buffer.totalAdded < this.config.warmupSteps;
  }

  /** A uniform random action within the bounds (warm-up), from the warm-up stream. */
  warmupAction(): Float64Array {
    return this.low.map((lo, i) => this.warmup.uniform(lo, this.high[i]!));
  }

  private startEpisode(): void {
    this.beginEpisode(this.env.reset({ seed: this.nextEpisodeSeed() }));
  }

  /**
   * currentObs() awaiting the reset: a population whose environments step together (worker
   * threads) starts its members' episodes in one round.
   */
  async ensureEpisode(): Promise<void> {
    if (!this.obs) this.beginEpisode(await envCalls(this.env).reset({ seed: this.nextEpisodeSeed() }));
  }

  private nextEpisodeSeed(): number {
    this.episodeSeed = this.envSeeds.nextUint32();
    return this.episodeSeed;
  }

  private beginEpisode(r: ResetResult): void {
    this.obs = r.obs.slice();
    this.noise.reset();
    this.episodeActions = [];
    this.episodeReturn = 0;
  }

  /** One environment step with exploration; returns the episode's return when it ended. */
  private async collectStep(): Promise<number | null> {
    const obs = this.currentObs();
    return this.stepWith(this.warmingUp ? this.warmupAction() : await this.act(obs, true));
  }

  /** Steps the environment with `action` from currentObs() and stores the transition; returns the episode's return when it ended. */
  stepWith(action: Float64Array): number | null {
    const obs = this.currentObs();
    return this.record(obs, action, this.env.step(action));
  }

  /** stepWith, awaiting the step (queued with the other members' when the environments step together). */
  async stepWithAsync(action: Float64Array): Promise<number | null> {
    const obs = this.currentObs();
    return this.record(obs, action, await envCalls(this.env).step(action));
  }

  private record(obs: Float64Array, action: Float64Array, r: StepResult): number | null {
    const terminal = r.terminated || (r.truncated && this.config.timeLimitAsTerminal);
    this.buffer.add(obs, action, r.reward, r.obs, terminal);
    this.envSteps++;
    this.episodeReturn += r.reward;
    for (const a of action) this.episodeActions.push(a);
    if (r.terminated || r.truncated) {
      this.episodes++;
      this.returnSum += this.episodeReturn;
      this.obs = null;
      return this.episodeReturn;
    }
    this.obs = r.obs.slice();
    return null;
  }

  /** A minibatch drawn uniformly from the buffer (from the sampling stream), in host arrays reused by the next draw. */
  sampleHost(): TransitionBatch {
    return this.buffer.sampleInto(this.hostBatch, this.sampling);
  }

  /** The host arrays of the last draw, not drawing again (a stopped population member's). */
  idleHost(): TransitionBatch {
    return this.hostBatch;
  }

  /** The generator of PGD's random starts (DDPG-SR-A/C). */
  get perturbGenerator(): sr.Generator {
    return this.perturb;
  }

  /** A minibatch drawn uniformly from the buffer, as tensors on the networks' backend. */
  sampleBatch(): BatchTensors {
    const b = this.sampleHost();
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

  // traced on the first update, replayed after with its elementwise runs fused
  // (SR2L_COMPILE=0 runs it eagerly); the learner and settings are read by reference, so
  // in-place loads are seen
  private readonly compiledUpdate = sr.compile(
    (batch: BatchTensors) => ddpgUpdate(this.learner, batch, this.settings),
    { name: 'ddpgUpdate', fuse: true },
  );

  /** One gradient update on a fresh minibatch; its statistics are summed on the device. */
  update(): void {
    const stats = this.compiledUpdate(this.sampleBatch());
    this.updates++;
    this.accCount++;
    sr.noGrad(() => {
      for (const [k, t] of Object.entries(stats)) {
        const prev = this.acc.get(k);
        this.acc.set(k, prev ? prev.add(t) : t);
      }
    });
  }

  /** Runs one iteration (stepsPerIteration env steps and their updates); EvalReturn is left NaN. */
  async iterate(): Promise<DdpgStats> {
    const c = this.config;
    let sampleMs = 0;
    let updateMs = 0;
    const returns: number[] = [];
    for (let cycle = 0; cycle < c.stepsPerIteration / c.stepsPerCycle; cycle++) {
      const t0 = performance.now();
      for (let k = 0; k < c.stepsPerCycle; k++) {
        const ret = await this.collectStep();
        if (ret !== null) returns.push(ret);
      }
      const t1 = performance.now();
      sampleMs += t1 - t0;
      if (this.buffer.size >= Math.max(1, c.warmupSteps)) {
        for (let n = 0; n < c.trainStepsPerCycle; n++) this.update();
        updateMs += performance.now() - t1;
      }
    }
    const count = this.accCount;
    const means = await this.readStats();
    return this.finishIteration(returns, means, count, sampleMs, updateMs);
  }

  /**
   * Counts the iteration and returns its progress row, from the returns of the training
   * episodes that ended in it, the means of the update statistics by column, the number of
   * updates and the milliseconds spent sampling and updating.
   */
  finishIteration(
    returns: readonly number[],
    means: Record<string, number>,
    count: number,
    sampleMs: number,
    updateMs: number,
  ): DdpgStats {
    this.iteration++;
    return {
      Iteration: this.iteration,
      EnvSteps: this.envSteps,
      Updates: this.updates,
      NumEpisodes: returns.length,
      AverageReturn: returns.length ? returns.reduce((a, b) => a + b, 0) / returns.length : NaN,
      AverageReturnAllEpisodes: this.episodes ? this.returnSum / this.episodes : NaN,
      EvalReturn: NaN,
      CriticLoss: means.CriticLoss!,
      ActorLoss: means.ActorLoss!,
      QMean: means.QMean!,
      SmoothnessReg: means.SmoothnessReg!,
      PerturbationLinf: means.PerturbationLinf!,
      PerturbationL2: means.PerturbationL2!,
      UpdatesPerSecond: updateMs > 0 ? count / (updateMs / 1000) : NaN,
      TimeSampling: sampleMs / 1000,
      TimeOptimize: updateMs / 1000,
    };
  }

  /** Reads the summed statistics (the updates' only readback) as means by column, and resets them. */
  private async readStats(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const [column, key] of Object.entries(ACCUMULATED)) {
      const t = this.acc.get(key);
      out[column] = t ? (await t.data())[0]! / this.accCount : NaN;
    }
    this.acc.clear();
    this.accCount = 0;
    return out;
  }

  /** Per-parameter gradient norms of the last update (grads.csv): actor/<name>, critic/<name>. */
  async gradNorms(): Promise<Record<string, number> | null> {
    if (this.updates === 0) return null;
    const out: Record<string, number> = {};
    for (const [who, module] of [
      ['actor', this.learner.actor],
      ['critic', this.learner.critic],
    ] as const) {
      for (const [name, p] of module.namedParameters()) {
        out[`${who}/${name}`] = p.grad
          ? Math.sqrt((await sr.noGrad(() => p.grad!.square().sum()).data())[0]!)
          : NaN;
      }
    }
    return out;
  }

  gradColumns(): string[] {
    const names = (who: string, m: { namedParameters(): Map<string, Tensor> }): string[] =>
      [...m.namedParameters().keys()].map((n) => `${who}/${n}`);
    return [...names('actor', this.learner.actor), ...names('critic', this.learner.critic)];
  }

  /** Mean undiscounted return of the deterministic policy μ(s) on fresh episodes seeded from `seed`. */
  async evaluate(episodes: number, seed: number): Promise<number> {
    const env = await makeEnv(this.config.env, envOptions(this.config));
    const action = new Float64Array(this.actDim);
    return evaluatePolicy(env, episodes, seed, (obs) => this.act(obs, false, action));
  }

  getState(): DdpgState {
    return {
      format: 'sr2l.ddpg/1',
      iteration: this.iteration,
      envSteps: this.envSteps,
      updates: this.updates,
      episodes: this.episodes,
      returnSum: this.returnSum,
      rng: {
        envSeeds: this.envSeeds.getState(),
        sampling: this.sampling.getState(),
        perturb: this.perturb.getState(),
        warmup: this.warmup.getState(),
      },
      noise: this.noise.getState(),
      buffer: this.buffer.getState(),
      episode: this.obs
        ? { seed: this.episodeSeed, actions: this.episodeActions.slice(), return: this.episodeReturn }
        : null,
    };
  }

  /** Restores counters and streams, and replays the running episode to rebuild the env's state. */
  setState(s: DdpgState, source = 'state'): void {
    if (s.format !== 'sr2l.ddpg/1')
      throw new Error(
        `${source}: format '${String(s.format)}' is not 'sr2l.ddpg/1' (not a DDPG checkpoint?)`,
      );
    this.noise.setState(s.noise);
    this.envSeeds.setState(s.rng.envSeeds);
    this.sampling.setState(s.rng.sampling);
    this.perturb.setState(s.rng.perturb);
    this.warmup.setState(s.rng.warmup);
    this.iteration = s.iteration;
    this.envSteps = s.envSteps;
    this.updates = s.updates;
    this.episodes = s.episodes;
    this.returnSum = s.returnSum;
    this.obs = null;
    if (s.episode) {
      const { seed, actions } = s.episode;
      if (actions.length % this.actDim !== 0)
        throw new Error(`${source}: the running episode's actions do not divide into ${this.actDim}-vectors`);
      let obs = this.env.reset({ seed }).obs;
      for (let i = 0; i < actions.length; i += this.actDim) {
        const r = this.env.step(actions.slice(i, i + this.actDim));
        if (r.terminated || r.truncated)
          throw new Error(
            `${source}: replaying the running episode ended it early (a different environment?)`,
          );
        obs = r.obs;
      }
      this.obs = obs.slice();
      this.episodeSeed = seed;
      this.episodeActions = actions.slice();
      this.episodeReturn = s.episode.return;
    }
  }

  /**
   * Writes networks, optimizers and state.json into `dir` (which exists) and the transitions
   * added since the last save as a segment under `shared`/replay (replay-segments.ts).
   */
  async save(dir: string, shared: string): Promise<void> {
    const l = this.learner;
    const f = CHECKPOINT_FILES;
    const meta = { iteration: String(this.iteration), algo: this.config.algo, env: this.config.env };
    await saveModule(join(dir, f.actor), l.actor, meta);
    await saveModule(join(dir, f.critic), l.critic, meta);
    await saveModule(join(dir, f.targetActor), l.targetActor, meta);
    await saveModule(join(dir, f.targetCritic), l.targetCritic, meta);
    await saveOptimizer(join(dir, f.actorOpt), l.actorOpt);
    await saveOptimizer(join(dir, f.criticOpt), l.criticOpt);
    this.replaySaved = await writeReplaySegment(
      join(shared, REPLAY_FOLDER),
      this.buffer,
      this.replaySaved,
      meta,
    );
    await writeFileAtomic(join(dir, f.state), new TextEncoder().encode(JSON.stringify(this.getState())));
  }

  /** Restores a checkpoint written by save(dir, shared) into this trainer (built with the same config). */
  async load(dir: string, shared: string): Promise<void> {
    const f = CHECKPOINT_FILES;
    const statePath = join(dir, f.state);
    let state: DdpgState;
    try {
      state = JSON.parse(await readFile(statePath, 'utf8')) as DdpgState;
    } catch (e) {
      throw new Error(`${statePath}: unreadable trainer state (${(e as Error).message})`, { cause: e });
    }
    const l = this.learner;
    await loadModule(join(dir, f.actor), l.actor);
    await loadModule(join(dir, f.critic), l.critic);
    await loadModule(join(dir, f.targetActor), l.targetActor);
    await loadModule(join(dir, f.targetCritic), l.targetCritic);
    await loadOptimizer(join(dir, f.actorOpt), l.actorOpt);
    await loadOptimizer(join(dir, f.criticOpt), l.criticOpt);
    await readReplaySegments(join(shared, REPLAY_FOLDER), this.buffer, state.buffer);
    this.replaySaved = state.buffer.added;
    this.setState(state, statePath);
    this.compiledUpdate.reset(); // optimizer moments may be new tensors now
  }

  close(): void {
    this.env.close();
  }
}

/** What ddpgUpdate needs from a config; PGD's starts come from `generator` (one per member for a population). */
export function updateSettings(
  config: DdpgConfig,
  generator: sr.Generator | readonly sr.Generator[],
): UpdateSettings {
  return {
    algo: config.algo,
    gamma: config.discount,
    tau: config.tau,
    lambda: config.lambdaS,
    criticRegBothTerms: config.criticRegBothTerms,
    perturbation: innerMaxSettings(config, generator),
  };
}

export function envOptions(c: DdpgConfig): { maxEpisodeSteps?: number } {
  return c.maxEpisodeSteps === null ? {} : { maxEpisodeSteps: c.maxEpisodeSteps };
}
