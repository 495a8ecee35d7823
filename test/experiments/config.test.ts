import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ALGORITHMS, loadSweepConfig, validateSweepConfig } from '../../src/experiments/config.js';
import { optionArgs, planSweep } from '../../src/experiments/plan.js';

const ok = { name: 'x', envs: ['Hopper-v2'], algorithms: ['trpo'], seeds: 2, iterations: 5 };

describe('sweep config validation', () => {
  test.each([
    [{ ...ok, envz: 1 }, /unknown key 'envz'; allowed keys: name, out, envs/],
    [{ ...ok, envs: ['Hopper-v9'] }, /'envs\[0\]' is "Hopper-v9"; allowed: .*Hopper-v2/],
    [
      { ...ok, algorithms: ['ppo'] },
      new RegExp(`'algorithms\\[0\\]' is "ppo"; allowed: ${ALGORITHMS.join(', ')}`),
    ],
    [{ ...ok, seeds: [0, -1] }, /'seeds\[1\]' must be an integer ≥ 0/],
    [{ ...ok, seeds: [1, 1] }, /'seeds' lists 1 twice/],
    [{ ...ok, iterations: 0 }, /'iterations' must be a positive integer, got 0/],
    [{ ...ok, iterations: undefined }, /'iterations' must be a positive integer/],
    [{ ...ok, options: { seed: 3 } }, /'options.seed' is set by the sweep itself/],
    [{ ...ok, options: { lr: [1] } }, /'options.lr' must be a number, string or boolean/],
    [{ ...ok, grid: { eps: [] } }, /'grid.eps' must be a non-empty list/],
    [{ ...ok, grid: { eps: [1] }, settings: [] }, /either 'settings' .* or 'grid'/],
    [
      { ...ok, settings: [{ name: 'a', opts: {} }] },
      /'settings\[0\].opts' is unknown; allowed keys: name, options/,
    ],
    [{ ...ok, name: 'a b' }, /'name' may hold/],
    [[1, 2], /expected a mapping/],
  ])('%j is rejected with a message naming the key', (doc, message) => {
    expect(() => validateSweepConfig(doc, 'f.yaml')).toThrow(message);
  });

  test('a grid expands to one setting per combination; the plan is the full product with its argv', () => {
    const cfg = validateSweepConfig({
      ...ok,
      algorithms: ['trpo-sr'],
      grid: { eps: [0.01, 0.1], lambdaS: [1, 10] },
    });
    expect(cfg.settings.map((s) => s.name)).toEqual([
      'eps=0.01,lambdaS=1',
      'eps=0.01,lambdaS=10',
      'eps=0.1,lambdaS=1',
      'eps=0.1,lambdaS=10',
    ]);
    const runs = planSweep(cfg, ['sr2l', 'train'], '/r');
    expect(runs).toHaveLength(8);
    // seed-major: every setting's seed 0 comes before any seed 1
    expect(runs.map((r) => r.seed)).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(runs[0]!.dir).toBe('/r/runs/x/Hopper-v2/trpo-sr/eps=0.01,lambdaS=1/seed-0');
    expect(runs[0]!.argv.join(' ')).toBe(
      'sr2l train --algo trpo-sr --env Hopper-v2 --seed 0 --iterations 5 --batch-size 1000 --out /r/runs/x/Hopper-v2/trpo-sr/eps=0.01,lambdaS=1/seed-0 --force --eps 0.01 --lambda-s 1',
    );
    expect(runs[0]!.resumeArgv.join(' ')).toBe(
      'sr2l train --resume /r/runs/x/Hopper-v2/trpo-sr/eps=0.01,lambdaS=1/seed-0 --iterations 5',
    );
  });

  test('options become flags: booleans bare or left out, negative values as --key=value', () => {
    expect(
      optionArgs({ normalizeObs: true, logGrads: false, eps: 0.01, clipLow: -1, baseline: 'mlp' }),
    ).toEqual(['--normalize-obs', '--eps', '0.01', '--clip-low=-1', '--baseline', 'mlp']);
  });

  const sweepFiles = readdirSync('experiments').filter((f) => f.endsWith('.yaml'));
  test('the listing of experiments/ finds the sweeps the test below checks', () => {
    expect(sweepFiles).toEqual(expect.arrayContaining(['paper-ddpg.yaml', 'heldout-hopper.yaml']));
  });
  test.each(sweepFiles)('experiments/%s is valid', async (f) => {
    const cfg = await loadSweepConfig(resolve('experiments', f));
    expect(planSweep(cfg, ['sr2l', 'train']).length).toBeGreaterThan(0);
  });

  // a held-out check means nothing if its seeds overlap those its settings were chosen on
  test('the held-out sweeps share no seed with the frontier and the paper grid', async () => {
    const seeds = async (f: string) => (await loadSweepConfig(resolve('experiments', f))).seeds;
    const chosenOn = new Set([
      ...(await seeds('frontier-trpo-sr.yaml')),
      ...(await seeds('paper-trpo.yaml')),
    ]);
    for (const f of ['heldout-hopper.yaml', 'heldout-hopper-raw.yaml']) {
      const held = await seeds(f);
      expect(held).toHaveLength(10);
      expect(held.filter((s) => chosenOn.has(s))).toEqual([]);
    }
  });
});
