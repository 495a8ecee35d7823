/**
 * DDPG for a population of seeds in one process. Each member is a DdpgTrainer of one seed
 * with its own environment, replay buffer, exploration noise and random streams (exactly
 * those of its single run); the members step in lockstep. One stacked learner (networks
 * whose parameters carry a leading member axis) acts for every member with one forward
 * pass per environment step, and updates every member with one ddpgUpdate on [S, B, ...]
 * minibatches. On the CPU backend member k's progress rows are its single run's bit for
 * bit (timings aside): every slice is computed by the kernels a single run uses.
 *
 * `envGroup` puts the members' environments in one group (member k's is environment k, e.g.
 * on worker threads): their resets and steps then run as one round per lockstep step.
 *
 * A member whose parameters go non-finite is stopped (stopMember): its environment no longer
 * steps and it is left out of everything after; its slices keep computing (each slice is
 * independent of the others, so its NaN reaches no other member) until the run ends.
 *
 * The members' own networks and optimizers are views, refreshed from the stacked learner
 * (syncMembers) before an evaluation or a checkpoint, so a member's checkpoint is a single
 * run's checkpoint; loadMembers() is the way back after a resume.
 */
import * as sr from '../../autograd/index.js';
import type { Tensor } from '../../autograd/index.js';
import type { EnvGroup, EnvGroupFactory } from '../../envs/core/env-group.js';
import { makeEnv, type MakeEnvOptions } from '../../envs/registry.js';
import type { Backend } from '../../kernels/backend.js';
import type { TypedArray } from '../../kernels/dtype.js';
import {
  loadMemberStateDict,
  memberOptimizerState,
  memberStateDict,
  stackOptimizerStates,
} from '../../nn/population.js';
import type { Module } from '../../nn/module.js';
import { openBackend } from '../compute-backend.js';
import { resolveDdpgConfig, type DdpgConfig } from './config.js';
import { ACCUMULATED, DdpgTrainer, envOptions, updateSettings, type DdpgStats } from './ddpg.js';
import { stackLearners } from './learner.js';
import type { Floats, TransitionBatch } from './replay-buffer.js';
import { ddpgUpdate, type BatchTensors, type DdpgLearner, type UpdateSettings } from './update.js';
import { checkPopulationConfigs } from '../population/configs.js';

/** The learner's networks, by the names single checkpoints and grads.csv use. */
const NETWORKS = ['actor', 'critic', 'targetActor', 'targetCritic'] as const;
const OPTIMIZERS = ['actorOpt', 'criticOpt'] as const;

export class DdpgPopulation {
  readonly members: readonly DdpgTrainer[];
  /** the stacked networks and optimizers that train every member */
  readonly learner: DdpgLearner;
  private readonly backend: Backend;
  private readonly settings: UpdateSettings;
  private readonly acc = new Map<string, Tensor>();
  private accCount = 0;
  /** whether the members' own networks hold the stacked learner's current values */
  private synced = true;
  /** members stopped by a fault, by index */
  private readonly stopped = new Set<number>();
  /** members whose policy output went non-finite during an iteration (they skip their env steps from there) */
  private readonly actionFaults = new Map<number, string>();

  /** One member per config; the configs must differ only in their seeds. */
  static async create(
    partials: readonly (Partial<DdpgConfig> | DdpgConfig)[],
    opts: { envGroup?: EnvGroupFactory<MakeEnvOptions> } = {},
  ): Promise<DdpgPopulation> {
    const configs = partials.map((p) => resolveDdpgConfig(p as Record<string, unknown>));
    checkPopulationConfigs(configs);
    const backend = await openBackend(configs[0]!.backend);
    const group = opts.envGroup
      ? await opts.envGroup(configs[0]!.env, configs.length, envOptions(configs[0]!))
      : null;
    const members: DdpgTrainer[] = [];
    for (const [k, c] of configs.entries())
      members.push(new DdpgTrainer(c, group ? group.env(k) : await makeEnv(c.env, envOptions(c)), backend));
    return new DdpgPopulation(members, backend, group);
  }

  constructor(
    members: readonly DdpgTrainer[],
    backend: Backend,
    /** the members' environments when they step together (member k owns environment k) */
    private readonly group: EnvGroup | null = null,
  ) {
    if (members.length === 0) throw new RangeError('DdpgPopulation: needs at least one member');
    this.members = members.slice();
    this.backend = backend;
    const first = members[0]!;
    const { obsDim } = first;
    const { low, high } = first.env.actionSpace;
    this.learner = stackLearners(
      { obsDim, low, high, actorLr: first.config.actorLr, criticLr: first.config.criticLr },
      members.map((m) => m.learner),
    );
    this.settings = updateSettings(
      first.config,
      members.map((m) => m.perturbGenerator),
    );
  }

  get size(): number {
    return this.members.length;
  }

  get config(): DdpgConfig {
    return this.members[0]!.config;
  }

  /** Completed iterations (every active member's count). */
  get iteration(): number {
    const k = this.members.findIndex((_, i) => !this.stopped.has(i));
    return this.members[k < 0 ? 0 : k]!.iteration;
  }

  /** Runs one iteration for every member; returns member k's progress row at k (EvalReturn NaN). */
  async iterate(): Promise<DdpgStats[]> {
    const c = this.config;
    let sampleMs = 0;
    let updateMs = 0;
    const returns = this.members.map((): number[] => []);
    for (let cycle = 0; cycle < c.stepsPerIteration / c.stepsPerCycle; cycle++) {
      const t0 = performance.now();
      for (let k = 0; k < c.stepsPerCycle; k++) await this.collectStep(returns);
      const t1 = performance.now();
      sampleMs += t1 - t0;
      // members fill their buffers in lockstep, so they warm up together
      if (this.members[this.firstActive()]!.buffer.size >= Math.max(1, c.warmupSteps)) {
        for (let n = 0; n < c.trainStepsPerCycle; n++) this.update();
        updateMs += performance.now() - t1;
      }
    }
    const count = this.accCount;
    const means = await this.readStats();
    return this.members.map((m, k) => m.finishIteration(returns[k]!, means[k]!, count, sampleMs, updateMs));
  }

  /** One environment step of every member: one stacked forward pass for all their actions. */
  private async collectStep(returns: number[][]): Promise<void> {
    const { obsDim, actDim } = this.members[0]!;
    const s = this.size;
    const active = this.members.map((_, k) => !this.stopped.has(k));
    await this.together(this.members.filter((_, k) => active[k]).map((m) => m.ensureEpisode()));
    // a stopped member's slot holds its last observation: its output is not used
    const obs = this.members.map((m, k) => (active[k] ? m.currentObs() : null));
    let mu: TypedArray | null = null;
    if (this.members.some((m, k) => active[k] && !m.warmingUp)) {
      const data = new Float64Array(s * obsDim);
      obs.forEach((o, k) => o && data.set(o, k * obsDim));
      const x = sr.tensor(data, { shape: [s, 1, obsDim], dtype: this.config.dtype, backend: this.backend });
      const out = sr.noGrad(() => this.learner.actor.forward(x));
      // the one readback per step for the whole population
      mu = this.backend.synchronous ? out.dataSync() : await out.data();
    }
    const steps: Promise<void>[] = [];
    this.members.forEach((m, k) => {
      if (!active[k] || this.actionFaults.has(k)) return;
      const out = m.warmingUp ? null : Float64Array.from(mu!.subarray(k * actDim, (k + 1) * actDim));
      if (out && !out.every(Number.isFinite)) {
        // the environment would refuse it: the member waits for the fault check at the iteration's end
        this.actionFaults.set(k, `a non-finite action at env step ${m.envSteps + 1}`);
        return;
      }
      const action = out ? m.finishAction(out, true) : m.warmupAction();
      steps.push(m.stepWithAsync(action).then((ret) => void (ret !== null && returns[k]!.push(ret))));
    });
    await this.together(steps);
  }

  /**
   * Awaits the members' environment calls; when the environments step together (worker
   * threads) the calls are queued by now and run as one round.
   */
  private async together(calls: Promise<unknown>[]): Promise<void> {
    await Promise.all([...calls, this.group?.flush()]);
  }

  // as a single trainer's: traced on the first update, replayed after with its elementwise
  // runs fused (SR2L_COMPILE=0 runs it eagerly); learner and settings are read by reference
  private readonly compiledUpdate = sr.compile(
    (batch: BatchTensors) => ddpgUpdate(this.learner, batch, this.settings),
    { name: 'populationDdpgUpdate', fuse: true },
  );

  /** One stacked update: each member draws its own minibatch from its own buffer and stream. */
  private update(): void {
    // a stopped member's slice computes on its last (or, after a resume, empty) batch, unread
    const hosts = this.members.map((m, k) => (this.stopped.has(k) ? m.idleHost() : m.sampleHost()));
    const { obsDim, actDim } = this.members[0]!;
    const s = this.size;
    const n = hosts[0]!.size;
    const like = { dtype: this.config.dtype, backend: this.backend };
    const col = (pick: (b: TransitionBatch) => Floats, shape: number[]): Tensor =>
      sr.tensor(concatHost(hosts.map(pick)), { shape: [s, ...shape], ...like });
    const batch: BatchTensors = {
      obs: col((b) => b.obs, [n, obsDim]),
      action: col((b) => b.action, [n, actDim]),
      reward: col((b) => b.reward, [n]),
      nextObs: col((b) => b.nextObs, [n, obsDim]),
      terminal: col((b) => b.terminal, [n]),
    };
    const stats = this.compiledUpdate(batch);
    for (const m of this.members) m.updates++;
    this.synced = false;
    this.accCount++;
    sr.noGrad(() => {
      for (const [key, t] of Object.entries(stats)) {
        const prev = this.acc.get(key);
        this.acc.set(key, prev ? prev.add(t) : t);
      }
    });
  }

  /** Per member: the means of the summed statistics by progress column (one readback each), then resets them. */
  private async readStats(): Promise<Record<string, number>[]> {
    const out = this.members.map((): Record<string, number> => ({}));
    for (const [column, key] of Object.entries(ACCUMULATED)) {
      const t = this.acc.get(key);
      const sums = t ? await t.data() : null;
      out.forEach((row, k) => (row[column] = sums ? sums[k]! / this.accCount : NaN));
    }
    this.acc.clear();
    this.accCount = 0;
    return out;
  }

  private firstActive(): number {
    const k = this.members.findIndex((_, i) => !this.stopped.has(i));
    if (k < 0) throw new Error('DdpgPopulation: every member has been stopped');
    return k;
  }

  /** Stops member k (after a fault): its environment no longer steps. */
  stopMember(k: number): void {
    this.stopped.add(k);
  }

  /**
   * Members whose actor or critic parameters hold a NaN or an infinity (the first such
   * parameter named; one readback for the whole population), or whose policy gave a
   * non-finite action this iteration.
   */
  async nonFiniteMembers(): Promise<Map<number, string>> {
    const s = this.size;
    const named = (['actor', 'critic'] as const).flatMap((who) =>
      [...this.learner[who].namedParameters()].map(([n, p]) => [`${who} ${n}`, p] as const),
    );
    // p − p is 0 where p is finite and NaN where it is not; a row sum per member keeps the NaN
    const probe = sr.noGrad(() => sr.stack(named.map(([, p]) => p.sub(p).reshape([s, -1]).sum(1))));
    const v = await probe.data();
    const out = new Map<number, string>();
    for (let k = 0; k < s; k++) {
      const bad = named.findIndex((_, i) => !Number.isFinite(v[i * s + k]!));
      if (bad >= 0) out.set(k, `non-finite values in ${named[bad]![0]}`);
      else if (this.actionFaults.has(k)) out.set(k, this.actionFaults.get(k)!);
    }
    return out;
  }

  /** Writes the stacked learner's values into every member's own networks and optimizers. */
  syncMembers(): void {
    if (this.synced) return;
    this.members.forEach((m, k) => {
      for (const name of NETWORKS)
        (m.learner[name] as Module).loadStateDict(memberStateDict(this.learner[name], k));
      for (const name of OPTIMIZERS)
        m.learner[name].loadStateDict(memberOptimizerState(this.learner[name].stateDict(), k));
    });
    this.synced = true;
  }

  /** The reverse of syncMembers: the stacked learner takes the members' values (after they loaded checkpoints). */
  loadMembers(): void {
    // members stopped before the resume loaded no checkpoint
    const its = new Set(this.members.filter((_, k) => !this.stopped.has(k)).map((m) => m.iteration));
    if (its.size !== 1)
      throw new Error(
        `DdpgPopulation: the members' checkpoints are at different iterations (${this.members.map((m) => `seed ${m.config.seed}: ${m.iteration}`).join(', ')})`,
      );
    this.members.forEach((m, k) => {
      for (const name of NETWORKS)
        loadMemberStateDict(this.learner[name], k, m.learner[name].namedParameters());
    });
    for (const name of OPTIMIZERS)
      this.learner[name].loadStateDict(
        // a stopped member's slot takes an active member's state (one step count for the stack; unread)
        stackOptimizerStates(
          this.members.map((m, k) =>
            (this.stopped.has(k) ? this.members[this.firstActive()]! : m).learner[name].stateDict(),
          ),
        ),
      );
    this.synced = true;
  }

  /** Member k's gradient norms of the last update (grads.csv), read from the stacked gradients. */
  async memberGradNorms(k: number): Promise<Record<string, number> | null> {
    if (this.members[k]!.updates === 0) return null;
    const out: Record<string, number> = {};
    for (const who of ['actor', 'critic'] as const) {
      for (const [name, p] of this.learner[who].namedParameters()) {
        const g = p.grad;
        out[`${who}/${name}`] = g
          ? Math.sqrt(
              (
                await sr
                  .noGrad(() =>
                    g
                      .slice([k], [k + 1])
                      .square()
                      .sum(),
                  )
                  .data()
              )[0]!,
            )
          : NaN;
      }
    }
    return out;
  }

  /** Member k's evaluation (its deterministic policy on fresh episodes), as its single run evaluates. */
  evaluateMember(k: number, episodes: number, seed: number): Promise<number> {
    this.syncMembers();
    return this.members[k]!.evaluate(episodes, seed);
  }

  close(): void {
    for (const m of this.members) m.close();
    // idle workers do not hold the process open, so their end need not be awaited
    void this.group?.close();
  }
}

/** The members' host arrays end to end, in a new array of the same type. */
function concatHost(parts: readonly Floats[]): Floats {
  const len = parts.reduce((n, p) => n + p.length, 0);
  const out = parts[0] instanceof Float32Array ? new Float32Array(len) : new Float64Array(len);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
