/**
 * A TrpoPopulation seen by the run loop: one RunTrainer per member, so each member's run
 * folder (config.json, progress.csv, grads.csv, checkpoints) is written exactly as a single
 * run's, while the population iterates all members at once.
 */
import type { PopulationOptions, PopulationRun, RunTrainer } from '../run/algorithms.js';
import type { TrpoConfig } from './config.js';
import { TrpoPopulation } from './population.js';
import type { TrpoTrainer } from './trpo.js';

/**
 * `singleRun` is the run loop's view of one TrpoTrainer (algorithms.ts owns it; passed in so
 * this module does not import the registry that imports it). Members iterate only together.
 */
export async function createTrpoPopulationRun(
  configs: readonly TrpoConfig[],
  singleRun: (trainer: TrpoTrainer) => RunTrainer,
  opts: PopulationOptions = {},
): Promise<PopulationRun> {
  const pop = await TrpoPopulation.create(configs, opts);
  const members = pop.members.map((t): RunTrainer => {
    const run = singleRun(t);
    return {
      trainer: t,
      get iteration() {
        return t.iteration;
      },
      iterate: () => Promise.reject(new Error('a TRPO population member iterates with its population')),
      evaluate: (episodes, seed) => run.evaluate(episodes, seed),
      gradColumns: () => run.gradColumns(),
      gradRow: () => run.gradRow(),
      save: (dir, shared) => run.save(dir, shared),
      load: (dir, shared) => run.load(dir, shared),
      // the population closes every member's environment
      close: () => undefined,
    };
  });
  return {
    members,
    population: pop,
    get iteration() {
      return pop.iteration;
    },
    iterate: () => pop.iterate(),
    // each member's own trainer loaded its checkpoint; the stacked policy is rebuilt every iteration
    afterLoad: () => undefined,
    faults: () => pop.nonFiniteMembers(),
    stopMember: (k) => pop.stopMember(k),
    close: () => pop.close(),
  };
}
