import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/index.js';
import { frontierPoints, rankByWorstAxis } from '../../src/report/frontier.js';
import { loadFrontierRuns } from '../../src/report/frontier-report.js';
import type { RobustnessResult } from '../../src/rl/robustness/index.js';
import { robustnessResult } from './robustness-fixture.js';
import { captureConsole } from '../helpers/console.js';
import { tempDirs } from '../helpers/temp-dirs.js';

const tempDir = tempDirs('sr2l-frontier-');
afterEach(() => vi.restoreAllMocks());

/** One policy's evaluation: two clean episodes and two under MAD at ε 0.05 and 0.1. */
function evaluation(clean: number, mad05: number, mad10: number): RobustnessResult {
  return robustnessResult([
    ['none', 0, [clean - 1, clean + 1]],
    ['mad', 0.05, [mad05 - 2, mad05 + 2]],
    ['mad', 0.1, [mad10, mad10]],
  ]);
}

/** A sweep folder: per setting, per seed, one evaluated policy (clean, mad05, mad10 + seed offsets). */
async function sweep(
  root: string,
  name: string,
  algo: string,
  settings: Record<string, [number, number, number]>,
  env = 'Hopper-v2',
  options: Record<string, unknown> = {},
): Promise<string> {
  const out = join(root, name);
  const runs = [];
  for (const [setting, [c, m5, m10]] of Object.entries(settings))
    for (let seed = 0; seed < 4; seed++) {
      const id = `${env}/${algo}/${setting}/seed-${seed}`;
      const dir = join(out, id);
      await mkdir(join(dir, 'eval'), { recursive: true });
      await writeFile(join(dir, 'progress.csv'), `Iteration,AverageReturn\n0,${c}\n`);
      // seeds spread by ±1.5, ±0.5 around the setting's values
      const d = seed - 1.5;
      await writeFile(
        join(dir, 'eval', 'robustness.json'),
        JSON.stringify(evaluation(c + d, m5 + d, m10 + d)),
      );
      runs.push({ id, dir, env, algo, setting, seed, options: { evalEvery: 50, ...options } });
    }
  await writeFile(join(out, 'sweep.json'), JSON.stringify({ config: { name }, runs }));
  return out;
}

let ref: string;
let grid: string;
let walker: string;
beforeAll(async () => {
  const root = await tempDir();
  walker = await sweep(root, 'walker', 'trpo', { default: [300, 200, 100] }, 'Walker2d-v2');
  ref = await sweep(root, 'paper', 'trpo', { default: [100, 50, 20] });
  grid = await sweep(root, 'grid', 'trpo-sr', {
    'eps=0.01': [150, 120, 30], // better on both axes at both strengths... but 0.1 is close
    'eps=0.05': [90, 60, 25], // more robust, lower clean return
  });
});

describe('frontier', () => {
  test('points: per-policy means, Student-t intervals over policies, bootstrap comparison with the reference', async () => {
    const runs = await loadFrontierRuns([ref, grid]);
    const points = frontierPoints(runs, {
      attack: 'mad',
      epsAttack: [0.05, 0.1],
      reference: 'trpo',
      resamples: 2000,
    });
    expect(points).toHaveLength(6);
    const at = (variant: string, eps: number) =>
      points.find((p) => p.variant === variant && p.epsAttack === eps)!;
    const r = at('trpo', 0.05);
    expect(r.reference).toBe(true);
    expect(r.policies).toBe(4);
    // policies' clean means 98.5, 99.5, 100.5, 101.5: mean 100, s = 1.291, t(0.975, 3) = 3.182
    expect(r.clean.mean).toBeCloseTo(100, 10);
    expect(r.clean.hi - r.clean.mean).toBeCloseTo((3.182446 * 1.2909944) / 2, 4);
    expect(r.attacked.mean).toBeCloseTo(50, 10);
    expect(r.cleanVsReference).toBeNull();
    const good = at('trpo-sr [eps=0.01]', 0.05);
    expect(good.cleanVsReference!.difference).toBeCloseTo(50, 10);
    expect(good.attackedVsReference!.difference).toBeCloseTo(70, 10);
    expect(good.beatsReferenceOnBoth).toBe(true);
    // 4 policies against 4 with no overlap on either axis: 2 of the 70 splits are as far
    // apart, so each axis's permutation p is about 2/70 and so is the larger of the two
    expect(good.pBoth).toBeGreaterThan(0.015);
    expect(good.pBoth).toBeLessThan(0.045);
    expect(r.pBoth).toBeNaN();
    const tradeoff = at('trpo-sr [eps=0.05]', 0.05);
    expect(tradeoff.attackedVsReference!.ciLow).toBeGreaterThan(0);
    expect(tradeoff.cleanVsReference!.ciHigh).toBeLessThan(0);
    expect(tradeoff.beatsReferenceOnBoth).toBe(false);
    // weakest axes: eps=0.01 is ahead by 50, 70 and 10 (its weakest, MAD at 0.1); eps=0.05
    // is behind by 10 on clean return
    const ranked = rankByWorstAxis(points);
    expect(ranked.map((w) => w.variant)).toEqual(['trpo-sr [eps=0.01]', 'trpo-sr [eps=0.05]']);
    expect(ranked[0]!.worst).toBeCloseTo(10, 10);
    expect(ranked[1]!.worst).toBeCloseTo(-10, 10);
    // a setting evaluated at one ε_attack only is not ranked against those seen at both
    expect(
      rankByWorstAxis(points.filter((p) => p.variant !== 'trpo-sr [eps=0.05]' || p.epsAttack === 0.05)),
    ).toHaveLength(1);
    // an env evaluated at ε_attack 0.05 only ranks its settings over that one, beside an env seen at both
    const onlyAt05 = points.filter((p) => p.epsAttack === 0.05).map((p) => ({ ...p, env: 'Other-v2' }));
    expect(rankByWorstAxis([...points, ...onlyAt05]).filter((w) => w.env === 'Other-v2')).toHaveLength(2);
  });

  test('a variant found in two sweeps is told apart by the sweep name', async () => {
    const other = await sweep(await tempDir(), 'rerun', 'trpo', { default: [100, 50, 20] });
    const runs = await loadFrontierRuns([ref, other, grid]);
    expect(new Set(runs.map((r) => r.variant))).toEqual(
      new Set(['paper: trpo', 'rerun: trpo', 'trpo-sr [eps=0.01]', 'trpo-sr [eps=0.05]']),
    );
  });

  test('one setting per sweep: a variant in two sweeps is also told apart by the options that differ', async () => {
    const root = await tempDir();
    const picks = [
      await sweep(root, 'heldout', 'trpo-sr', { default: [100, 50, 20] }, 'Hopper-v2', {
        eps: 0.02,
        lambdaS: 1,
        epsScale: 'obs-std',
      }),
      await sweep(root, 'heldout-raw', 'trpo-sr', { default: [100, 50, 20] }, 'Hopper-v2', {
        eps: 0.003,
        lambdaS: 1,
        epsScale: 'raw',
      }),
    ];
    const runs = await loadFrontierRuns([ref, ...picks]);
    // evalEvery and lambdaS are the same in both, so they name nothing
    expect(new Set(runs.map((r) => r.variant))).toEqual(
      new Set([
        'trpo',
        'heldout: trpo-sr [eps=0.02,epsScale=obs-std]',
        'heldout-raw: trpo-sr [eps=0.003,epsScale=raw]',
      ]),
    );
  });

  test('sr2l report frontier writes the verdict first, a table and a figure per ε_attack', async () => {
    const out = join(await tempDir(), 'frontier');
    const log = captureConsole().all;
    expect(await main(['report', 'frontier', ref, grid, '--out', out, '--resamples', '2000'])).toBe(0);
    expect(log()).toMatch(/wrote .*frontier\.md: 6 points, 2 figures/);
    const md = await readFile(join(out, 'frontier.md'), 'utf8');
    const verdict = md.slice(md.indexOf('## Verdict'), md.indexOf('## Hopper-v2'));
    expect(verdict).toContain(
      'Hopper-v2, ε_attack 0.05: beats trpo on both axes (95% intervals of both differences above 0): trpo-sr [eps=0.01] (Holm-adjusted p ',
    );
    // p ≈ 2/70 at best with 4 seeds, times 4 settings × ε_attack under Holm: not enough
    expect(verdict).toMatch(/over the 4 settings × ε_attack: does not survive\)/);
    expect(md).toContain('- Hopper-v2: trpo-sr [eps=0.01] (10); next trpo-sr [eps=0.05] (-10)');
    expect(md).toContain(
      '| trpo-sr [eps=0.05] | 4 | 90 [87.95, 92.05] | 60 [57.95, 62.05] | -10 [-11.5, -8.5] | 10 [8.5, 11.5] | no |',
    );
    for (const eps of ['0.05', '0.1'])
      expect(existsSync(join(out, 'figures', `Hopper-v2-frontier-mad-${eps}.png`))).toBe(true);
  });

  test('--envs keeps only the envs listed; one no sweep holds is named', async () => {
    const log = captureConsole().all;
    const all = join(await tempDir(), 'all');
    expect(await main(['report', 'frontier', ref, grid, walker, '--out', all, '--resamples', '200'])).toBe(0);
    expect(log()).toMatch(/wrote .*all\/frontier\.md: 8 points, 4 figures/);
    const hopper = join(await tempDir(), 'hopper');
    const args = ['report', 'frontier', ref, grid, walker, '--resamples', '200', '--out', hopper];
    expect(await main([...args, '--envs', 'Hopper-v2'])).toBe(0);
    expect(log()).toMatch(/wrote .*hopper\/frontier\.md: 6 points, 2 figures/);
    expect(await readFile(join(hopper, 'frontier.md'), 'utf8')).not.toContain('Walker2d-v2');
    expect(await main([...args, '--envs', 'Hopper-v2,Ant-v2'])).toBe(2);
    expect(log()).toContain("--envs: 'Ant-v2' is in none of the sweeps; they hold Hopper-v2, Walker2d-v2");
  });

  test('bad input: no --out, a bad ε list, a folder with no evaluated policy', async () => {
    const log = captureConsole().all;
    expect(await main(['report', 'frontier', ref])).toBe(2);
    expect(log()).toContain('--out DIR is required');
    expect(await main(['report', 'frontier', ref, '--out', '/tmp/x', '--eps-attack', '0.05,,1'])).toBe(2);
    expect(log()).toContain(`--eps-attack: '' is not a number ≥ 0`);
    const out = join(await tempDir(), 'f');
    expect(await main(['report', 'frontier', ref, '--out', out, '--attack', 'sarsa'])).toBe(1);
    expect(log()).toContain(`no policy of ${ref} was evaluated under 'sarsa'`);
  });
});
