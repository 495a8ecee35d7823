// A sweep given a time after which no trainer starts (`--start-within`): the running ones
// finish, the rest are listed as not started and train on the next start.
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/index.js';
import { durationSeconds } from '../../src/cli/duration-flag.js';
import { validateSweepConfig, type SweepConfig } from '../../src/experiments/config.js';
import { exists, progressRows } from '../../src/experiments/run-files.js';
import { runSweep } from '../../src/experiments/sweep.js';
import { captureConsole } from '../helpers/console.js';
import { tempDirs } from '../helpers/temp-dirs.js';

const fake = resolve('test/experiments/fixtures/fake-train.mjs');
const tempDir = tempDirs('sr2l-sweep-start-within-');
afterEach(() => vi.restoreAllMocks());

function config(out: string): SweepConfig {
  return validateSweepConfig({
    name: 'deadline',
    out,
    envs: ['Pendulum-v1'],
    algorithms: ['trpo', 'trpo-sr'],
    seeds: [0, 1],
    iterations: 3,
    stepsPerIteration: 10,
    options: { sleepMs: 700 },
    command: [process.execPath, fake],
  });
}
const off = { population: 'off', maxPopulation: 10 } as const;

describe('sweep --start-within', () => {
  test('durations: h, m, s and their sums; plain numbers are seconds; anything else is named', () => {
    expect(durationSeconds('d', '90')).toBe(90);
    expect(durationSeconds('d', '45s')).toBe(45);
    expect(durationSeconds('d', '20m')).toBe(1200);
    expect(durationSeconds('d', '2h')).toBe(7200);
    expect(durationSeconds('d', '1h30m')).toBe(5400);
    expect(durationSeconds('d', '1.5h')).toBe(5400);
    expect(durationSeconds('d', ' 2h5m10s ')).toBe(7510);
    for (const bad of ['', '0', '0m', '-5m', '1h1h', 'm', '5x', '1h 30m', '2d'])
      expect(() => durationSeconds('d', bad), bad).toThrow(
        `--d must be a duration > 0 such as 90m, 2h or 1h30m (plain numbers are seconds), got '${bad}'`,
      );
  });

  test('no trainer starts after the time; those running finish; the next start takes up the rest', async () => {
    const out = await tempDir();
    const cfg = config(out);
    // passed already: nothing starts, every run is deferred, no run folder gets a row
    const none = await runSweep(cfg, {
      workers: 1,
      grouping: off,
      defaultCommand: [],
      startBefore: Date.now() - 1,
    });
    expect(none.completed).toEqual([]);
    expect(none.failed).toEqual([]);
    expect(none.deferred).toEqual(none.runs.map((r) => r.id));
    for (const r of none.runs) expect(await progressRows(r.dir)).toBe(0);

    // one worker, runs of ≥ 3 × 700 ms: the first starts well within the 2 s, the others
    // find them passed
    const first = await runSweep(cfg, {
      workers: 1,
      grouping: off,
      defaultCommand: [],
      startBefore: Date.now() + 2000,
    });
    expect(first.completed).toHaveLength(1);
    expect(first.deferred).toHaveLength(3);
    expect(first.interrupted).toBe(false);
    expect(first.deferred).not.toContain(first.completed[0]);
    const done = first.runs.find((r) => r.id === first.completed[0])!;
    expect(await exists(join(done.dir, 'sweep-done.json'))).toBe(true);
    expect(await progressRows(done.dir)).toBe(3);

    const rest = await runSweep(cfg, { workers: 2, grouping: off, defaultCommand: [] });
    expect(rest.skipped).toEqual([done.id]);
    expect(rest.completed.sort()).toEqual([...first.deferred].sort());
    expect(rest.deferred).toEqual([]);
  }, 60_000);

  test('the CLI lists what it did not start and exits 0; a bad duration or Slurm is a usage error', async () => {
    const dir = await tempDir();
    const file = join(dir, 'deadline.yaml');
    await writeFile(file, JSON.stringify({ ...config(dir), out: dir }));
    const log = captureConsole().all;
    expect(
      await main(['sweep', file, '--workers', '1', '--population', 'off', '--start-within', '0.001']),
    ).toBe(0);
    expect(log()).toMatch(/sweep deadline: 0 completed, 0 already finished, 0 failed/);
    expect(log()).toMatch(
      /not started: 4 runs, as --start-within 0\.001 ended at \d{4}-\d\d-\d\dT[\d:.]+Z; run the same command again to continue/,
    );
    expect(await main(['sweep', file, '--start-within', '90 min'])).toBe(2);
    expect(log()).toContain(
      "--start-within must be a duration > 0 such as 90m, 2h or 1h30m (plain numbers are seconds), got '90 min'",
    );
    expect(await main(['sweep', file, '--executor', 'slurm', '--start-within', '1h'])).toBe(2);
    expect(log()).toContain('--start-within is for the local executor');
    expect(await main(['sweep', file, '--task', '0', '--start-within', '1h'])).toBe(2);
    expect(log()).toContain('--task runs one task of the whole plan; drop --start-within');
  }, 60_000);
});
