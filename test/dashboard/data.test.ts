/** The dashboard's pure pieces: tolerant CSV reading, the 95% band over seeds, smoothing, safe paths, groups. */
import { describe, expect, it } from 'vitest';
import { aggregateSeeds, meanBand, smooth } from '../../src/dashboard/band.js';
import { parseCsvTable } from '../../src/dashboard/csv-table.js';
import { checkRelative } from '../../src/dashboard/safe-path.js';
import { assignGroups } from '../../src/dashboard/discover.js';
import type { RunSummary } from '../../src/dashboard/api-types.js';

describe('parseCsvTable', () => {
  it('reads numbers, empty cells as NaN, and reports what it skipped', () => {
    const t = parseCsvTable('a,b\n1,2\n3,\n4,5,6\n7,x\n8,9', 'p.csv');
    expect(t.header).toEqual(['a', 'b']);
    expect(t.rows).toEqual([
      [1, 2],
      [3, NaN],
      [7, NaN],
    ]);
    expect(t.problems).toEqual([
      'p.csv: last line is incomplete (still being written?) and was left out',
      'p.csv: line 4 has 3 fields, the header has 2; skipped',
      "p.csv: 1 non-numeric value(s) in column 'b'",
    ]);
  });
  it('an empty file or a header still being written is a problem, not an exception', () => {
    expect(parseCsvTable('', 'p.csv').problems).toEqual(['p.csv: empty file, expected a header line']);
    expect(parseCsvTable('Iter', 'p.csv')).toEqual({
      header: [],
      rows: [],
      problems: ['p.csv: header not complete yet'],
    });
  });
});

describe('band over seeds', () => {
  it("is Student's t interval of the mean (t₀.₉₇₅ with 2 degrees of freedom = 4.3027)", () => {
    const b = meanBand([1, 2, 3]);
    expect(b.mean).toBe(2);
    // scipy.stats.t.ppf(0.975, 2) = 4.302652729911275; stdlib inverts the CDF to about 1e-10
    expect(b.hi - b.mean).toBeCloseTo(4.302652729911275 / Math.sqrt(3), 8);
    expect(b.mean - b.lo).toBeCloseTo(b.hi - b.mean, 12);
    expect(meanBand([5])).toEqual({ mean: 5, lo: 5, hi: 5, n: 1 });
    expect(() => meanBand([])).toThrow(/no values/);
  });
  it('aligns seeds by iteration, averages x, skips non-finite values', () => {
    const pts = aggregateSeeds([
      { iteration: [1, 2, 3], x: [10, 20, 30], y: [1, 2, 3] },
      { iteration: [1, 2], x: [12, 22], y: [3, NaN] },
    ]);
    expect(pts.map((p) => [p.x, p.mean, p.n])).toEqual([
      [11, 2, 2],
      [20, 2, 1],
      [30, 3, 1],
    ]);
  });
  it('smooths like TensorBoard (debiased EMA) and refuses a weight outside [0, 1)', () => {
    expect(smooth([1, 1, 1], 0.9)).toEqual([1, 1, 1].map(() => expect.closeTo(1, 12)));
    const s = smooth([0, 10], 0.5);
    expect(s[0]).toBe(0);
    expect(s[1]).toBeCloseTo((0.5 * 0 * 0.5 + 0.5 * 10) / (1 - 0.25), 12);
    expect(smooth([1, NaN, 3], 0)).toEqual([1, NaN, 3]);
    expect(() => smooth([1], 1)).toThrow(/\[0, 1\)/);
  });
});

describe('checkRelative', () => {
  it('refuses .., absolute paths, backslashes and NUL before touching the disk', () => {
    expect(checkRelative('a/./b/')).toEqual(['a', 'b']);
    expect(() => checkRelative('a/../../b')).toThrow(/'\.\.'/);
    expect(() => checkRelative('/etc/passwd')).toThrow(/absolute/);
    expect(() => checkRelative('C:/x')).toThrow(/absolute/);
    expect(() => checkRelative('a\\b')).toThrow(/backslash/);
    expect(() => checkRelative('a\0b')).toThrow(/NUL/);
  });
});

describe('assignGroups', () => {
  const run = (id: string, algo: string, seed: number, settings: Record<string, number>): RunSummary => ({
    id,
    env: 'E',
    algo,
    seed,
    setting: null,
    settings: { ...settings, seed },
    differing: {},
    group: '',
    state: 'finished',
    returnColumn: null,
    finalReturn: null,
    iterations: 0,
    envSteps: null,
    hasGrads: false,
    hasRobustness: false,
    checkpoints: [],
    problems: [],
  });
  it('groups seeds that share every differing setting; identical settings are not shown', () => {
    const runs = [
      run('a', 'trpo-sr', 0, { eps: 0.1, gamma: 0.99 }),
      run('b', 'trpo-sr', 1, { eps: 0.1, gamma: 0.99 }),
      run('c', 'trpo-sr', 0, { eps: 0.2, gamma: 0.99 }),
    ];
    assignGroups(runs);
    expect(runs.map((r) => r.group)).toEqual([
      'E · trpo-sr [eps=0.1]',
      'E · trpo-sr [eps=0.1]',
      'E · trpo-sr [eps=0.2]',
    ]);
    expect(runs[2]!.differing).toEqual({ eps: 0.2 });
  });
});
