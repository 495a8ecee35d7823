// A run's final return weighed by iterations (each batch's average counts once) or by
// episodes (the window's episodes pooled): they differ when one batch holds a single long
// episode, as on Ant-v2, where a 1000-step episode that pays control cost all the way
// outweighs ten short ones only under the iteration weighting.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/index.js';
import { captureConsole } from '../helpers/console.js';
import { finalReturn, loadSweepResults, readCurve } from '../../src/report/sweep-data.js';

// per seed: iterations as [AverageReturn, NumEpisodes]
const RUNS: Record<string, [number, number][]> = {
  'seed-0': [
    [-500, 4],
    [-1400, 1], // one long episode
    [-50, 10],
  ],
  'seed-1': [
    [-100, 5],
    [-200, 2],
    [-80, 8],
  ],
};
let root: string;
let noCount: string;

async function writeSweep(dir: string, header: string, row: (r: [number, number], i: number) => string) {
  const runs = [];
  for (const [name, rows] of Object.entries(RUNS)) {
    const id = `Ant-v2/trpo/default/${name}`;
    await mkdir(join(dir, id), { recursive: true });
    await writeFile(join(dir, id, 'progress.csv'), `${header}\n${rows.map(row).join('\n')}\n`);
    await writeFile(join(dir, id, 'sweep-done.json'), '{}');
    runs.push({ id, env: 'Ant-v2', algo: 'trpo', setting: 'default', seed: Number(name.slice(5)) });
  }
  await writeFile(join(dir, 'sweep.json'), JSON.stringify({ config: { name: 'weights' }, runs }));
}

beforeAll(async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'sr2l-final-weight-'));
  root = join(tmp, 'counted');
  noCount = join(tmp, 'uncounted');
  await writeSweep(root, 'Iteration,AverageReturn,NumEpisodes', ([v, n], i) => `${i},${v},${n}`);
  await writeSweep(noCount, 'Iteration,AverageReturn', ([v], i) => `${i},${v}`);
});
afterAll(async () => rm(join(root, '..'), { recursive: true, force: true }));

describe('final return weighed by iterations or by episodes', () => {
  test('readCurve keeps the episode counts (garage’s older NumTrajs too)', () => {
    const { curve } = readCurve('Iteration,AverageReturn,NumTrajs\n1,5,3\n2,7,0\n', 'p.csv');
    expect(curve).toEqual([
      { iteration: 1, value: 5, episodes: 3 },
      { iteration: 2, value: 7, episodes: 0 },
    ]);
    expect(readCurve('Iteration,AverageReturn\n1,5\n', 'p.csv').curve).toEqual([{ iteration: 1, value: 5 }]);
    expect(() => readCurve('Iteration,AverageReturn,NumEpisodes\n1,5,2.5\n', 'p.csv')).toThrow(
      /p\.csv: line 2: 'NumEpisodes' is '2\.5', not a count of episodes/,
    );
  });

  test('the two weightings of a window, and the errors', () => {
    const curve = RUNS['seed-0']!.map(([value, episodes], iteration) => ({ iteration, value, episodes }));
    // last two iterations: (−1400 − 50) / 2 against (−1400·1 − 50·10) / 11
    expect(finalReturn(curve, 2, 'iterations', 'p.csv')).toBe(-725);
    expect(finalReturn(curve, 2, 'episodes', 'p.csv')).toBeCloseTo(-1900 / 11, 12);
    // a window of one: the same either way
    expect(finalReturn(curve, 1, 'episodes', 'p.csv')).toBe(-50);
    expect(() => finalReturn([{ iteration: 3, value: 1 }], 1, 'episodes', 'p.csv')).toThrow(
      /p\.csv: no episode count for iteration 3.*NumEpisodes or NumTrajs/,
    );
    expect(() => finalReturn([{ iteration: 3, value: 0, episodes: 0 }], 1, 'episodes', 'p.csv')).toThrow(
      /finished no episode/,
    );
  });

  test('loadSweepResults applies it to every run and says which it used', async () => {
    const byIteration = await loadSweepResults(root, { finalWindow: 3 });
    expect(byIteration.finalWeight).toBe('iterations');
    expect(byIteration.runs.map((r) => r.final)).toEqual([-650, -380 / 3]);
    const byEpisode = await loadSweepResults(root, { finalWindow: 3, finalWeight: 'episodes' });
    expect(byEpisode.runs.map((r) => r.final)).toEqual([(-2000 - 1400 - 500) / 15, (-500 - 400 - 640) / 15]);
    await expect(loadSweepResults(root, { finalWeight: 'runs' as unknown as 'episodes' })).rejects.toThrow(
      /finalWeight must be one of iterations, episodes, got 'runs'/,
    );
  });

  test('sr2l report --final-weight episodes: the table and the report’s words follow it', async () => {
    const c = captureConsole();
    try {
      const dir = join(root, 'by-episode');
      const args = ['report', root, '--final-window', '3', '--resamples', '10', '--out', dir];
      expect(await main([...args, '--final-weight', 'episodes'])).toBe(0);
      const md = await readFile(join(dir, 'report.md'), 'utf8');
      expect(md).toContain(
        "mean over the episodes of the last 3 iterations (each iteration's `AverageReturn` weighted by its episode count)",
      );
      // mean of −3900/15 = −260 and −1540/15 = −102.67: −181.3
      expect(md).toMatch(/\| trpo \| 2 \| -181\.3 ± /);
      expect(await main([...args, '--final-weight', 'runs'])).toBe(2);
      expect(c.all()).toContain("--final-weight must be one of iterations, episodes, got 'runs'");
      // no episode counts in progress.csv: a usage error naming the file and the columns
      expect(await main(['report', noCount, '--final-window', '3', '--final-weight', 'episodes'])).toBe(2);
      expect(c.all()).toMatch(/uncounted.*progress\.csv: no episode count for iteration 0/);
    } finally {
      vi.restoreAllMocks();
    }
  }, 30_000);
});
