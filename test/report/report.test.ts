import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/index.js';
import { captureConsole } from '../helpers/console.js';
import {
  buildReport,
  reportSweep,
  type RunResult,
  compareMeans,
  comparisonTable,
  rankSettings,
  renderSvg,
  svgToPng,
  robustnessSpec,
} from '../../src/report/index.js';
import { claimTable } from '../../src/report/claims.js';
import { loadSweepResults } from '../../src/report/sweep-data.js';
import type { RobustnessResult } from '../../src/rl/robustness/index.js';
import { robustnessResult } from './robustness-fixture.js';

// Synthetic sweep: Hopper-v2, TRPO vs TRPO-SR, 5 seeds each, 3 iterations; known final returns.
const FINAL = { trpo: [100, 200, 300, 400, 500], 'trpo-sr': [400, 420, 440, 460, 480] };
let root: string;

function robustness(clean: number[], random: number[], mad: number[]): RobustnessResult {
  return robustnessResult(
    [
      ['none', 0, clean],
      ['random', 0.1, random],
      ['mad', 0.1, mad],
    ],
    [{ eps: 0.1, states: 8, lipschitzMean: 2, lipschitzP95: 3, madDivergenceMean: 0.5 }],
  );
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sr2l-report-'));
  const runs = [];
  for (const algo of ['trpo', 'trpo-sr'] as const)
    for (let seed = 0; seed < 5; seed++) {
      const dir = join(root, 'Hopper-v2', algo, 'default', `seed-${seed}`);
      await mkdir(join(dir, 'eval'), { recursive: true });
      const f = FINAL[algo][seed]!;
      await writeFile(
        join(dir, 'progress.csv'),
        `Iteration,AverageReturn,Other\n0,${f / 4},1\n1,${f / 2},1\n2,${f},1\n`,
      );
      await writeFile(join(dir, 'sweep-done.json'), '{}');
      if (seed < 2) {
        const drop = algo === 'trpo' ? 300 : 100;
        const r = robustness([f, f], [f - drop / 2, f - drop / 2], [f - drop, f - drop]);
        await writeFile(join(dir, 'eval', 'robustness.json'), JSON.stringify(r));
      }
      runs.push({
        id: `Hopper-v2/${algo}/default/seed-${seed}`,
        dir,
        env: 'Hopper-v2',
        algo,
        setting: 'default',
        seed,
      });
    }
  await writeFile(join(root, 'sweep.json'), JSON.stringify({ config: { name: 'synthetic' }, runs }));
});
afterAll(async () => rm(root, { recursive: true, force: true }));

function pngSize(png: Uint8Array): [number, number] {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(new TextDecoder().decode(png.subarray(12, 16))).toBe('IHDR');
  const v = new DataView(png.buffer, png.byteOffset);
  return [v.getUint32(16), v.getUint32(20)];
}

describe('sr2l report', () => {
  test('tables hold the right means, percentiles, intervals and areas; figures are inline', async () => {
    const { report, figures } = await reportSweep(root, { resamples: 2000, pngScale: 1 });
    const md = await readFile(report, 'utf8');
    // TRPO: 100..500 → mean 300, std √25000 = 158.1, median 300, p10 140, p90 460
    expect(md).toContain('| trpo | 5 | 300 ± 158.1 | 300 | 140 | 460 | 100 | 500 |');
    // TRPO-SR: 400..480 → mean 440, std 31.62, p10 408, p90 472
    expect(md).toContain('| trpo-sr | 5 | 440 ± 31.62 | 440 | 408 | 472 | 400 | 480 |');
    const c = compareMeans(FINAL['trpo-sr'], FINAL.trpo, { resamples: 2000, seed: 0 });
    expect(c.difference).toBe(140);
    expect(md).toMatch(
      new RegExp(
        `\\| trpo-sr − trpo \\| 5 vs 5 \\| 140 \\| \\[${Number(c.ciLow.toPrecision(4))}, ${Number(c.ciHigh.toPrecision(4))}\\] \\| ${c.pValue.toFixed(4)} \\|`,
      ),
    );
    expect(c.ciLow).toBeGreaterThan(0);
    expect(c.ciLow).toBeLessThan(140);
    expect(c.ciHigh).toBeGreaterThan(140);
    // robustness: TRPO seeds 0–1 (finals 100, 200), mad drops 300: ε=0 → 150, ε=0.1 → −150; area = 0.1·(150 − 150)/2 = 0
    expect(md).toMatch(/\| trpo \| mad \| 2 \| 150 ± 57\.74 \| -150 ± 57\.74 \| 0 \| 0 \|/);
    // TRPO-SR seeds 0–1 (400, 420), random drops 50: 410 → 360, area = 0.1·(410 + 360)/2 = 38.5
    expect(md).toMatch(/\| trpo-sr \| random \| 2 \| 410 ± 11\.55 \| 360 ± 11\.55 \| 38\.5 \| 385 \|/);
    expect(figures.map((f) => f.kind).sort()).toEqual([
      'learning',
      'percentiles',
      'robustness',
      'smoothness',
    ]);
    for (const f of figures) expect(md).toContain(`](figures/Hopper-v2-${f.kind}.png)`);

    // the claims: mean +140 (the CI above excludes 0), spread 31.62 / 158.1 = 0.2, 10th
    // percentile 408 − 140 = 268; declines per policy at ε=0.1: mad 100 (SR) vs 300, random
    // 50 vs 150, identical across seeds, so every resample gives the same difference
    expect(md).toContain("## The paper's claims at a glance");
    // and how many of its verdicts survive Holm's correction over the report's claims
    expect(md).toMatch(
      /about [\d.]+ of the \d+ tested \(those with enough seeds for a verdict\) would reach a verdict by chance alone/,
    );
    expect(md).toMatch(/\*\*\d+ of the \d+ verdicts survive it\*\*/);
    // a sweep folder copied elsewhere reads the same (runs are found by their ids, not the
    // absolute paths the sweep recorded)
    const moved = join(await mkdtemp(join(tmpdir(), 'sr2l-report-moved-')), 'sweep');
    await cp(root, moved, { recursive: true });
    const finals = (await loadSweepResults(moved)).runs.map((r) => [r.dir.startsWith(moved), r.final]);
    expect(finals).toEqual([...FINAL.trpo, ...FINAL['trpo-sr']].map((f) => [true, f]));
    await rm(dirname(moved), { recursive: true, force: true });
    const rows = claimTable((await loadSweepResults(root)).runs, { resamples: 2000, seed: 0 });
    const by = (measure: string) => rows.find((r) => r.measure === measure)!;
    expect(by('mean final return')).toMatchObject({ sr: 440, base: 300, verdict: 'held', n: 5, nBase: 5 });
    expect(by('mean final return').effect).toMatchObject({ value: 140, ciLow: c.ciLow, ciHigh: c.ciHigh });
    expect(by('std of final return over seeds').effect.value).toBeCloseTo(0.2, 12);
    expect(by('10th percentile of final return')).toMatchObject({ sr: 408, base: 140, verdict: 'held' });
    expect(by('10th percentile of final return').effect.value).toBe(268);
    expect(by('return lost to mad at ε=0.1')).toMatchObject({
      sr: 100,
      base: 300,
      n: 2,
      effect: { value: -200, ciLow: -200, ciHigh: -200 },
      // an interval from two policies per group gets no verdict, however clear it looks
      verdict: 'too few',
    });
    expect(by('return lost to random at ε=0.1').effect.value).toBe(-100);
    expect(md).toContain('| Hopper-v2 | trpo-sr vs trpo | held (+140 [');
    expect(md).toContain('too few seeds (< 5) (-200 [-200, -200])');
  }, 30_000);

  test('a claim the data cannot settle reads "no clear difference", one that points the other way "reversed"', () => {
    const run = (algo: string, seed: number, final: number): RunResult => ({
      id: `${algo}/${seed}`,
      dir: '',
      env: 'Swimmer-v2',
      algo,
      setting: 'default',
      seed,
      variant: algo,
      options: {},
      finished: true,
      curve: [],
      final,
      robustness: null,
    });
    const overlapping = [
      ...[10, 30, 50, 70, 90].map((f, i) => run('trpo', i, f)),
      ...[20, 40, 60, 80, 100].map((f, i) => run('trpo-sr', i, f)),
    ];
    const mean = claimTable(overlapping, { resamples: 2000 }).find((r) => r.kind === 'mean')!;
    expect(mean.verdict).toBe('unclear');
    const worse = [
      ...[100, 101, 102, 103, 104].map((f, i) => run('trpo', i, f)),
      ...[10, 11, 12, 13, 14].map((f, i) => run('trpo-sr', i, f)),
    ];
    expect(claimTable(worse, { resamples: 2000 }).find((r) => r.kind === 'mean')!.verdict).toBe('reversed');
    // the same gap with four seeds a side gets no verdict
    const fewer = worse.filter((r) => r.seed < 4);
    expect(claimTable(fewer, { resamples: 2000 }).find((r) => r.kind === 'mean')!.verdict).toBe('too few');
    // a grid of SR settings against one baseline setting: claims pair as the comparisons do
    const grid = [
      ...[10, 30, 50, 70].map((f, i) => run('trpo', i, f)),
      ...[20, 40, 60, 80].map((f, i) => ({
        ...run('trpo-sr', i, f),
        setting: 'eps=0.1',
        variant: 'trpo-sr [eps=0.1]',
      })),
    ];
    const pairs = claimTable(grid, { resamples: 200 }).map((r) => `${r.variant} vs ${r.baseline}`);
    expect(new Set(pairs)).toEqual(new Set(['trpo-sr [eps=0.1] vs trpo']));
    expect(comparisonTable(grid, { resamples: 200 }).map((r) => r.baseline)).toEqual(['trpo']);
  });

  test('figures are valid SVG and PNG files of the stated size', async () => {
    const { figures } = await reportSweep(root, {
      resamples: 10,
      size: { width: 400, height: 250 },
      pngScale: 2,
    });
    for (const f of figures) {
      const svg = await readFile(f.svg, 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
      expect(svg).toMatch(/^<svg[^>]* width="400" height="250"/);
      expect(pngSize(await readFile(f.png))).toEqual([800, 500]);
    }
    const svg = await renderSvg(
      robustnessSpec('t', [{ variant: 'a', attack: 'mad', eps: 0, mean: 1, std: 0 }]),
    );
    expect(pngSize(svgToPng(svg, 1))).toEqual([560, 360]);
  }, 30_000);

  test('the CLI writes the report, and names a folder that is not a sweep', async () => {
    const c = captureConsole();
    try {
      expect(await main(['report', root, '--resamples', '100'])).toBe(0);
      expect(c.all()).toContain(join(root, 'report', 'report.md'));
      expect(await main(['plot', root])).toBe(0);
      // --final-window 2: the mean of the last two iterations, (f/2 + f)/2 = 0.75 f → TRPO 75..375
      const windowed = join(root, 'windowed');
      expect(
        await main(['report', root, '--final-window', '2', '--resamples', '10', '--out', windowed]),
      ).toBe(0);
      const md = await readFile(join(windowed, 'report.md'), 'utf8');
      expect(md).toContain('| trpo | 5 | 225 ± 118.6 | 225 | 105 | 345 | 75 | 375 |');
      expect(md).toContain('mean of `AverageReturn` over the last 2 iterations');
      expect(await main(['report', root, '--final-window', '0'])).toBe(2);
      expect(c.all()).toMatch(/--final-window must be an integer > 0, got '0'/);
      expect(await main(['report', join(root, 'nope')])).toBe(2);
      expect(c.all()).toMatch(/not a sweep folder/);
    } finally {
      vi.restoreAllMocks();
    }
  }, 30_000);

  test('a grid search names the best setting of each algorithm', () => {
    const run = (setting: string, seed: number, final: number): RunResult => ({
      id: `${setting}/${seed}`,
      dir: '',
      env: 'Swimmer-v2',
      algo: 'trpo-sr',
      setting,
      seed,
      variant: `trpo-sr [${setting}]`,
      options: {},
      finished: true,
      curve: [{ iteration: 0, value: final }],
      final,
      robustness: null,
    });
    const runs = [
      run('eps=0.01', 0, 30),
      run('eps=0.01', 1, 50),
      run('eps=0.1', 0, 45),
      run('eps=0.1', 1, 41),
      // a run still in progress is left out of the final-return statistics
      { ...run('eps=0.01', 2, 1000), finished: false },
    ];
    const md = buildReport(
      { name: 'g', dir: '/g', runs, metric: 'AverageReturn', finalWindow: 1, finalWeight: 'iterations' },
      { reportDir: '/g', figures: [] },
    );
    expect(md).toContain('Best trpo-sr setting by mean final return: `eps=0.1` (43, 2 seeds).');
    expect(md).toContain('| trpo-sr [eps=0.01] | 2 | 40 ± 14.14 |');
  });
});

describe('settings ranked over envs', () => {
  const run = (env: string, setting: string, seed: number, final: number, finished = true): RunResult => ({
    id: `${env}/${setting}/${seed}`,
    dir: '',
    env,
    algo: 'trpo-sr',
    setting,
    seed,
    variant: `trpo-sr [${setting}]`,
    options: {},
    finished,
    curve: [],
    final,
    robustness: null,
  });

  test('per-env means rescaled to [0, 1] across settings, averaged over envs; unfinished runs left out', () => {
    const runs = [
      // Hopper: a 600, b 400, c 500 → 1, 0, 0.5; HalfCheetah: a −300, b −100, c −200 → 0, 1, 0.5
      ...[590, 610].map((f, i) => run('Hopper-v2', 'a', i, f)),
      ...[400, 400].map((f, i) => run('Hopper-v2', 'b', i, f)),
      run('Hopper-v2', 'c', 0, 500),
      run('Hopper-v2', 'c', 1, 9999, false),
      ...[-300, -300].map((f, i) => run('HalfCheetah-v2', 'a', i, f)),
      ...[-100, -100].map((f, i) => run('HalfCheetah-v2', 'b', i, f)),
      ...[-150, -250].map((f, i) => run('HalfCheetah-v2', 'c', i, f)),
      // one setting of another algorithm: nothing to rank
      { ...run('Hopper-v2', 'default', 0, 1), algo: 'trpo', variant: 'trpo' },
    ];
    const ranked = rankSettings(runs);
    expect(ranked.map((r) => [r.setting, r.score])).toEqual([
      ['a', 0.5],
      ['b', 0.5],
      ['c', 0.5],
    ]);
    expect(ranked[2]!.means).toEqual({ 'Hopper-v2': 500, 'HalfCheetah-v2': -200 });
    // make c best on Hopper too: it wins
    const better = runs.map((r) => (r.setting === 'c' && r.env === 'Hopper-v2' ? { ...r, final: 700 } : r));
    expect(rankSettings(better)[0]).toMatchObject({ setting: 'c', score: 0.75 });
    const md = buildReport(
      {
        name: 'grid',
        dir: '/x',
        runs: better,
        metric: 'AverageReturn',
        finalWindow: 1,
        finalWeight: 'iterations',
      },
      { reportDir: '/x', figures: [] },
    );
    expect(md).toContain('## Settings ranked over envs');
    expect(md).toContain('| trpo-sr | c | 700 | -200 | 0.75 |');
  });
});
