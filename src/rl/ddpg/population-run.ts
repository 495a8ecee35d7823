/**
 * A DdpgPopulation seen by the run loop: one RunTrainer per member, so each member's run
 * folder (config.json, progress.csv, grads.csv, checkpoints) is written exactly as a single
 * run's, while the population iterates all members at once.
 */
import type { PopulationOptions, PopulationRun, RunTrainer } from '../run/algorithms.js';
import type { DdpgTrainer } from './ddpg.js';
import { DdpgPopulation } from './population.js';
import type { DdpgConfig } from './config.js';

/** Member k's folder view: evaluation, grads and checkpoints read the stacked learner through the member. */
class DdpgMemberRun implements RunTrainer {
  constructor(
    private readonly pop: DdpgPopulation,
    private readonly k: number,
  ) {}
  get trainer(): DdpgTrainer {
    return this.pop.members[this.k]!;
  }
  get iteration(): number {
    return this.trainer.iteration;
  }
  iterate(): Promise<Record<string, number>> {
    throw new Error('DdpgMemberRun: a member iterates with its population (PopulationRun.iterate)');
  }
  evaluate(episodes: number, seed: number): Promise<number> {
    return this.pop.evaluateMember(this.k, episodes, seed);
  }
  gradColumns(): string[] {
    return this.trainer.gradColumns();
  }
  gradRow(): Promise<Record<string, number> | null> {
    return this.pop.memberGradNorms(this.k);
  }
  save(dir: string, shared: string): Promise<void> {
    this.pop.syncMembers();
    return this.trainer.save(dir, shared);
  }
  load(dir: string, shared: string): Promise<void> {
    return this.trainer.load(dir, shared);
  }
  close(): void {
    // the population closes every member's environment
  }
}

export async function createDdpgPopulationRun(
  configs: readonly DdpgConfig[],
  opts: PopulationOptions = {},
): Promise<PopulationRun> {
  const pop = await DdpgPopulation.create(configs, opts);
  const members = pop.members.map((_, k) => new DdpgMemberRun(pop, k));
  return {
    members,
    population: pop,
    get iteration() {
      return pop.iteration;
    },
    iterate: async () => (await pop.iterate()) as unknown as Record<string, number>[],
    afterLoad: () => pop.loadMembers(),
    faults: () => pop.nonFiniteMembers(),
    stopMember: (k) => pop.stopMember(k),
    close: () => pop.close(),
  };
}

/** One seed as the run loop sees it: the population of one, so single runs and --seeds share every line. */
export async function createDdpgSingleRun(config: DdpgConfig): Promise<RunTrainer> {
  const run = await createDdpgPopulationRun([config]);
  const member = run.members[0]!;
  return {
    get trainer() {
      return member.trainer;
    },
    get iteration() {
      return member.iteration;
    },
    iterate: async () => (await run.iterate())[0]!,
    evaluate: (episodes, seed) => member.evaluate(episodes, seed),
    gradColumns: () => member.gradColumns(),
    gradRow: () => member.gradRow(),
    save: (dir, shared) => member.save(dir, shared),
    load: async (dir, shared) => {
      await member.load(dir, shared);
      run.afterLoad();
    },
    close: () => run.close(),
  };
}
