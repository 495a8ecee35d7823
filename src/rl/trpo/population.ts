/**
 * TRPO / TRPO-SR for a population of seeds in one process. Each member is a TrpoTrainer of
 * one seed with its own environment, sampler, baseline and random streams (exactly those of
 * its single run). The members sample in lockstep with one stacked policy forward per
 * environment step (lockstep-sampling.ts); each member's policy step, baseline fit and
 * progress row are then its own trainer's (TrpoTrainer.learnFrom), so on the CPU backend
 * member k's progress rows are its single run's bit for bit (timings aside).
 *
 * A member whose sampling fails (a non-finite action the environment refuses) or whose
 * policy parameters go non-finite is reported by nonFiniteMembers and stopped: it no longer
 * samples or learns, and since no computation mixes members, its NaN reaches no other.
 *
 * `envGroup` puts the members' environments in one group (member k's is environment k, e.g.
 * on worker threads): their resets and steps then run together, one round per lockstep step.
 */
import type { EnvGroup, EnvGroupFactory } from '../../envs/core/env-group.js';
import type { MakeEnvOptions } from '../../envs/registry.js';
import { readFlat } from '../params.js';
import { checkPopulationConfigs } from '../population/configs.js';
import { resolveConfig, type TrpoConfig } from './config.js';
import { envOptions } from './trpo.js';
import { LockstepSampling } from './lockstep-sampling.js';
import { StackedGaussianMlpPolicy } from './stacked-gaussian-policy.js';
import { type Advantages, type IterationStats, TrpoTrainer } from './trpo.js';
import type { CompiledStep } from './compiled-steps.js';
import { PopulationPolicyStep } from './population-step.js';
import type { Batch } from './sampler.js';
import { memberStateDict } from '../../nn/population.js';
import { reserveArena, trpoPopulationArenaBytes } from '../population/arena-room.js';

export class TrpoPopulation {
  readonly members: readonly TrpoTrainer[];
  /** members stopped by a fault, by index */
  private readonly stopped = new Set<number>();
  /** members whose sampling failed this iteration, with why */
  private readonly sampleFaults = new Map<number, string>();
  private step: { key: string; step: PopulationPolicyStep } | null = null;
  private sampling: StackedGaussianMlpPolicy | null = null;

  /** One member per config; the configs must differ only in their seeds. */
  static async create(
    partials: readonly (Partial<TrpoConfig> | TrpoConfig)[],
    opts: { envGroup?: EnvGroupFactory<MakeEnvOptions> } = {},
  ): Promise<TrpoPopulation> {
    const configs = partials.map((p) => resolveConfig(p as Record<string, unknown>));
    checkPopulationConfigs(configs);
    const group = opts.envGroup
      ? await opts.envGroup(configs[0]!.env, configs.length, envOptions(configs[0]!))
      : null;
    const members: TrpoTrainer[] = [];
    try {
      for (const [k, c] of configs.entries())
        members.push(
          await TrpoTrainer.create(c, group ? { makeEnv: () => Promise.resolve(group.env(k)) } : {}),
        );
    } catch (e) {
      for (const m of members) m.close();
      await group?.close();
      throw e;
    }
    const c = configs[0]!;
    if (c.backend === 'cpu' && c.dtype === 'float32') {
      const { obsDim, actDim } = members[0]!.policy;
      reserveArena(trpoPopulationArenaBytes(members.length, c.batchSize, [obsDim, ...c.hidden, actDim]));
    }
    return new TrpoPopulation(members, group);
  }

  constructor(
    members: readonly TrpoTrainer[],
    private readonly group: EnvGroup | null = null,
  ) {
    if (members.length === 0) throw new RangeError('TrpoPopulation: needs at least one member');
    this.members = members.slice();
  }

  get size(): number {
    return this.members.length;
  }

  /** Completed iterations (every active member's count). */
  get iteration(): number {
    const k = this.members.findIndex((_, i) => !this.stopped.has(i));
    return this.members[k < 0 ? 0 : k]!.iteration;
  }

  /**
   * One iteration of every active member; member k's progress row at k (EvalReturn NaN). A
   * member whose sampling failed gets a row of its iteration number only (nonFiniteMembers says why).
   */
  async iterate(): Promise<Record<string, number>[]> {
    const active = this.members.map((_, k) => k).filter((k) => !this.stopped.has(k));
    // the acting copy of every member's current policy (the members' policy steps change their own)
    const policy = this.samplingPolicy();
    const t0 = performance.now();
    const batches = await new LockstepSampling(policy, this.group).run(active, (k, view) =>
      this.members[k]!.sample(view),
    );
    const t1 = performance.now();
    const rows = this.members.map((m): Record<string, number> => ({
      Iteration: m.iteration,
      EnvSteps: m.envSteps,
    }));
    const learning: number[] = [];
    const sampled: Batch[] = [];
    for (const [i, k] of active.entries()) {
      const b = batches[i]!;
      if (b.status === 'fulfilled') {
        learning.push(k);
        sampled.push(b.value);
        continue;
      }
      const m = this.members[k]!;
      this.sampleFaults.set(k, `sampling failed at iteration ${m.iteration + 1}: ${String(b.reason)}`);
      rows[k] = { Iteration: m.iteration + 1, EnvSteps: m.envSteps };
    }
    // each member's row carries the population's sampling time: its env stepped alongside the others'
    let stats: IterationStats[];
    if (this.batchedStep(sampled)) stats = await this.learnTogether(learning, sampled, t0, t1);
    else {
      stats = [];
      for (const [i, k] of learning.entries())
        stats.push(await this.members[k]!.learnFrom(sampled[i]!, t0, t1));
    }
    learning.forEach((k, i) => (rows[k] = stats[i] as unknown as Record<string, number>));
    return rows;
  }

  /**
   * Whether the members learn in one batched policy step: their batches must have one size
   * (whole-path sampling gives each its own), and --log-grads needs each member's own
   * gradients of the two terms, which only the single step computes.
   */
  private batchedStep(batches: readonly Batch[]): boolean {
    return (
      batches.length > 0 &&
      !this.members[0]!.config.logGrads &&
      batches.every((b) => b.size === batches[0]!.size)
    );
  }

  /** Advantages per member, one batched policy step for all, then each member's baseline and row. */
  private async learnTogether(
    ks: readonly number[],
    batches: readonly Batch[],
    t0: number,
    t1: number,
  ): Promise<IterationStats[]> {
    const ms = ks.map((k) => this.members[k]!);
    const advs: Advantages[] = [];
    for (const [i, m] of ms.entries()) advs.push(await m.advantagesOf(batches[i]!));
    const stepper = this.stepFor(ks);
    const step = await stepper.run(
      batches,
      advs.map((a) => a.advantages),
    );
    const policy = stepper.policy;
    const out: IterationStats[] = [];
    for (const [i, m] of ms.entries()) {
      m.policy.loadStateDict(memberStateDict(policy, i));
      m.lastStepInputs = step.inputs[i]!;
      out.push(await m.finishIteration(batches[i]!, advs[i]!, step.stats[i]!, t0, t1));
    }
    return out;
  }

  /**
   * The batched step of the members `ks`, kept from iteration to iteration (its compiled
   * programs read its stacked policy by reference) and rebuilt when the set changes (a
   * member stopped). Its policy takes the members' current values first: they may have been
   * changed outside the step (a resume loads the members' checkpoints).
   */
  private stepFor(ks: readonly number[]): PopulationPolicyStep {
    const key = ks.join();
    const ms = ks.map((k) => this.members[k]!);
    if (this.step?.key === key) this.step.step.policy.restackFrom(ms.map((m) => m.policy));
    else
      this.step = {
        key,
        step: new PopulationPolicyStep(
          new StackedGaussianMlpPolicy(ms.map((m) => m.policy)),
          ms.map((m) => m.perturbation),
          ms[0]!.config,
        ),
      };
    return this.step.step;
  }

  /**
   * The acting copy of every member's policy (stopped members' rows are computed but not
   * used), kept from iteration to iteration (its compiled forward pass reads it by
   * reference) and refreshed in place from the members.
   */
  private samplingPolicy(): StackedGaussianMlpPolicy {
    const policies = this.members.map((m) => m.policy);
    if (this.sampling === null) this.sampling = new StackedGaussianMlpPolicy(policies);
    else this.sampling.restackFrom(policies);
    return this.sampling;
  }

  /** The lockstep samplers' compiled forward pass (null before the first iteration). */
  samplingForward(): CompiledStep | null {
    return this.sampling?.samplingForward ?? null;
  }

  /** The batched step's compiled steps by name (none before the first batched step). */
  compiledSteps(): Record<string, CompiledStep> {
    return this.step?.step.compiled.all() ?? {};
  }

  /** Stops member k (after a fault): it no longer samples or learns. */
  stopMember(k: number): void {
    this.stopped.add(k);
  }

  /** Active members whose policy parameters hold a NaN or an infinity (first such parameter named) or whose sampling failed. */
  async nonFiniteMembers(): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    for (const [k, m] of this.members.entries()) {
      if (this.stopped.has(k)) continue;
      const fault = this.sampleFaults.get(k);
      if (fault !== undefined) {
        out.set(k, fault);
        continue;
      }
      const names = m.policy.paramNames();
      const params = m.policy.paramList();
      for (const [i, p] of params.entries()) {
        if ((await readFlat([p])).every(Number.isFinite)) continue;
        out.set(k, `non-finite values in policy ${names[i]}`);
        break;
      }
    }
    this.sampleFaults.clear();
    return out;
  }

  close(): void {
    for (const m of this.members) m.close();
    // idle workers do not hold the process open, so their end need not be awaited
    void this.group?.close();
  }
}
