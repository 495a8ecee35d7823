/**
 * TRPO-SR populations. Parity: `sr2l train --algo trpo-sr --seeds 0-2` writes s0, s1, s2,
 * each equal to that seed's reference run (trainRun: one TrpoTrainer iterating alone, the
 * single-run path before populations) with progress rows bit for bit (timings aside) and an
 * identical policy checkpoint; `--seed 1` (now the population of one) equals it too. The
 * population resumes as a whole, is refused with other seeds, and continues as the
 * reference continues. Faults: a member whose policy is poisoned with NaN is stopped and
 * reported while the others still equal their reference runs.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDirs } from '../../helpers/temp-dirs.js';
import { captureConsole, type CapturedConsole } from '../../helpers/console.js';
import { main } from '../../../src/cli/index.js';
import { resolveConfig } from '../../../src/rl/trpo/config.js';
import { TrpoPopulation } from '../../../src/rl/trpo/population.js';
import { TrpoTrainer } from '../../../src/rl/trpo/trpo.js';
import { trainPopulation } from '../../../src/rl/population/train-population.js';
import { trainRun } from '../../../src/rl/run/train-run.js';
import { rowsWithoutTimes as rows } from '../ddpg/progress-rows.js';

const root = await tempDirs('sr2l-trpo-pop-')();

let cons: CapturedConsole;
beforeEach(() => void (cons = captureConsole()));
afterEach(() => vi.restoreAllMocks());

const tiny = [
  '--algo',
  'trpo-sr',
  '--env',
  'Pendulum-v1',
  '--batch-size',
  '64',
  '--pgd-steps',
  '3',
  '--eval-every',
  '2',
  '--eval-episodes',
  '1',
  '--quiet',
];
const settings = {
  algo: 'trpo-sr',
  env: 'Pendulum-v1',
  batchSize: 64,
  pgdSteps: 3,
  evalEvery: 2,
  evalEpisodes: 1,
};

/** Seed k's reference: one TrpoTrainer in its own folder (trainRun does not go through populations). */
async function reference(seed: number, iterations: number, out: string, resume = false): Promise<void> {
  const r = await trainRun(resolveConfig({ ...settings, seed, iterations }), { out, resume, force: !resume });
  r.trainer.close();
}

const policyFile = (dir: string, it: number): Buffer =>
  readFileSync(join(dir, 'checkpoints', `iter-${String(it).padStart(6, '0')}`, 'policy.safetensors'));

describe('sr2l train --algo trpo-sr --seeds', () => {
  it('each member equals its seed’s single run bit for bit; resumes as a population', async () => {
    const out = join(root, 'pop');
    expect(await main(['train', ...tiny, '--iterations', '3', '--seeds', '0-2', '--out', out])).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['population.json', 's0', 's1', 's2']);
    for (const seed of [0, 1, 2]) {
      const single = join(root, `single-${seed}`);
      await reference(seed, 3, single);
      const member = join(out, `s${seed}`);
      expect(JSON.parse(readFileSync(join(member, 'config.json'), 'utf8')).seed).toBe(seed);
      expect(rows(member), `progress.csv of seed ${seed}`).toEqual(rows(single));
      expect(rows(member)).toHaveLength(3);
      expect(rows(member)[1]!.EvalReturn).not.toBeNaN();
      expect(rows(member)[2]!.SmoothnessReg).toBeGreaterThan(0);
      expect(policyFile(member, 3)).toEqual(policyFile(single, 3));
    }
    expect(rows(join(out, 's0'))[2]!.MeanKL).not.toBe(rows(join(out, 's1'))[2]!.MeanKL);

    expect(await main(['train', '--resume', out, '--seeds', '0,1', '--quiet'])).toBe(2);
    expect(cons.err()).toMatch(/holds a population of seeds 0-2; --seeds 0-1 differs/);
    expect(await main(['train', '--resume', out, '--iterations', '4', '--quiet'])).toBe(0);
    const cont = join(root, 'single-2');
    await reference(2, 4, cont, true);
    expect(rows(join(out, 's2'))).toEqual(rows(cont));
    expect(rows(join(out, 's2')).map((r) => r.Iteration)).toEqual([1, 2, 3, 4]);

    // one seed on the command line is the population of one, equal to the reference as well
    const one = join(root, 'one');
    expect(await main(['train', ...tiny, '--iterations', '3', '--seed', '1', '--out', one])).toBe(0);
    expect(rows(one)).toEqual(rows(join(root, 'single-1')));
    expect(policyFile(one, 3)).toEqual(policyFile(join(root, 'single-1'), 3));
  }, 120_000);
});

describe('TRPO population at a batch of 256 or more', () => {
  // from 256 rows the CPU backend's kernels switch to WebAssembly SIMD: a single run's mean
  // over [B] and a member's over [S, B] must still add in one order (kernels/cpu/simd.ts
  // blockSum), or the paper's batch of 1000 drifts apart in the last bits and then more
  it('each member equals its single run bit for bit at batch 300', async () => {
    const big = [
      '--algo',
      'trpo',
      '--env',
      'Pendulum-v1',
      '--batch-size',
      '300',
      '--eval-every',
      '0',
      '--quiet',
    ];
    const out = join(root, 'pop-300');
    expect(await main(['train', ...big, '--iterations', '2', '--seeds', '0,1', '--out', out])).toBe(0);
    for (const seed of [0, 1]) {
      const single = join(root, `single-300-${seed}`);
      const cfg = resolveConfig({
        algo: 'trpo',
        env: 'Pendulum-v1',
        batchSize: 300,
        evalEvery: 0,
        seed,
        iterations: 2,
      });
      (await trainRun(cfg, { out: single, force: true })).trainer.close();
      expect(rows(join(out, `s${seed}`)), `progress.csv of seed ${seed}`).toEqual(rows(single));
      expect(policyFile(join(out, `s${seed}`), 2)).toEqual(policyFile(single, 2));
    }
  }, 120_000);
});

describe('TRPO population faults', () => {
  it('a member gone NaN is stopped and reported; the others equal their single runs', async () => {
    const seeds = [0, 1, 2];
    const configs = seeds.map((seed) => resolveConfig({ ...settings, seed, iterations: 3 }));
    const dirs = seeds.map((s) => join(root, 'faults', `s${s}`));
    const result = await trainPopulation(configs, {
      dirs,
      populationDir: join(root, 'faults'),
      onIteration: (r, run) => {
        if (r[0]!.Iteration !== 1) return;
        const policy = (run.population as TrpoPopulation).members[1]!.policy;
        policy.loadStateDict(
          new Map(
            [...policy.namedParameters()].map(([n, t]) => [n, n === 'mean.layers.0.weight' ? t.mul(NaN) : t]),
          ),
        );
      },
    });
    result.population.close();
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]).toMatchObject({ seed: 1, iteration: 2 });
    // its NaN policy gave NaN actions, which the environment refused
    expect(result.failed[0]!.reason).toMatch(
      /^sampling failed at iteration 2: RangeError: Pendulum-v1: action\[0\] is NaN/,
    );
    expect(JSON.parse(readFileSync(join(dirs[1]!, 'failed.json'), 'utf8'))).toMatchObject({ seed: 1 });
    expect(rows(dirs[1]!).map((r) => r.Iteration)).toEqual([1, 2]);
    expect(existsSync(join(dirs[1]!, 'checkpoints', 'iter-000002'))).toBe(false);
    for (const k of [0, 2]) {
      const single = join(root, 'faults-single', `s${k}`);
      await reference(k, 3, single);
      expect(rows(dirs[k]!), `seed ${k}`).toEqual(rows(single));
    }
    // a resume continues seeds 0 and 2 as their single runs continue, and leaves seed 1 stopped
    const longer = configs.map((c) => ({ ...c, iterations: 4 }));
    const resumed = await trainPopulation(longer, {
      dirs,
      populationDir: join(root, 'faults'),
      resume: true,
      warn: () => undefined,
    });
    resumed.population.close();
    expect(resumed.failed).toEqual([]);
    expect(rows(dirs[1]!).map((r) => r.Iteration)).toEqual([1, 2]);
    for (const k of [0, 2]) {
      const single = join(root, 'faults-single', `s${k}`);
      await reference(k, 4, single, true);
      expect(rows(dirs[k]!), `seed ${k} resumed`).toEqual(rows(single));
    }
  }, 120_000);
});

describe('TrpoPopulation (plain TRPO, library)', () => {
  it('the batched policy step gives each member its single trainer’s rows and parameters bit for bit', async () => {
    const config = (seed: number) =>
      resolveConfig({ algo: 'trpo', env: 'Pendulum-v1', batchSize: 48, evalEvery: 0, seed, iterations: 2 });
    const pop = await TrpoPopulation.create([3, 4].map(config));
    const popRows = [await pop.iterate(), await pop.iterate()];
    for (const [k, seed] of [3, 4].entries()) {
      const single = await TrpoTrainer.create(config(seed));
      for (const rowsOfIteration of popRows) {
        const { TimeSampling: _a, TimeOptimize: _b, ...mine } = rowsOfIteration[k]!;
        const { TimeSampling: _c, TimeOptimize: _d, ...ref } = await single.iterate();
        expect(mine, `seed ${seed}`).toEqual(ref);
        expect(Number.isNaN(mine.SmoothnessReg)).toBe(true);
      }
      const own = single.policy.namedParameters();
      for (const [name, p] of pop.members[k]!.policy.namedParameters())
        expect(Array.from(p.dataSync()), name).toEqual(Array.from(own.get(name)!.dataSync()));
      // the batched step left the member its inputs, as a single step does (checkpoints save them)
      expect(pop.members[k]!.lastStepInputs!.obs.shape).toEqual([48, 3]);
      single.close();
    }
    pop.close();
  }, 60_000);
});
