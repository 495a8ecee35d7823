import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { validateSweepConfig, type SweepConfig } from '../../src/experiments/config.js';
import { exists, progressRows } from '../../src/experiments/run-files.js';
import { runSweep, type SweepEvent } from '../../src/experiments/sweep.js';
import { tempDirs } from '../helpers/temp-dirs.js';

const fake = resolve('test/experiments/fixtures/fake-train.mjs');
const command = [process.execPath, fake];
const tempDir = tempDirs('sr2l-sweep-');

function config(out: string, extra: Record<string, unknown> = {}): SweepConfig {
  return validateSweepConfig({
    name: 'tiny',
    out,
    envs: ['Pendulum-v1'],
    algorithms: ['trpo', 'trpo-sr'],
    seeds: [3],
    iterations: 6,
    stepsPerIteration: 10,
    options: { sleepMs: 40 },
    command,
    ...extra,
  });
}

const readProgress = async (root: string): Promise<string[]> =>
  Promise.all(
    ['trpo', 'trpo-sr'].map((a) =>
      readFile(join(root, 'Pendulum-v1', a, 'default', 'seed-3', 'progress.csv'), 'utf8'),
    ),
  );

describe('sweep', () => {
  test('a sweep killed midway and restarted ends with the same results as an uninterrupted one', async () => {
    // iterations slow enough that, on a loaded machine, one trainer does not finish before
    // the other has logged its second (the kill must find both part way)
    const slow = (out: string): SweepConfig => config(out, { options: { sleepMs: 200 } });
    const straight = await tempDir();
    const s1 = await runSweep(slow(straight), { workers: 2, defaultCommand: [] });
    expect(s1.completed).toHaveLength(2);
    const expected = await readProgress(straight);
    expect(expected[0]!.trim().split('\n')).toHaveLength(7);

    // the real CLI, in its own process group so the kill takes the trainers with it
    const broken = await tempDir();
    const file = join(broken, 'tiny.yaml');
    await writeFile(file, JSON.stringify({ ...slow(broken), out: broken }));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'sweep', file, '--workers', '2'],
      {
        detached: true,
        stdio: 'ignore',
      },
    );
    const runDirs = ['trpo', 'trpo-sr'].map((a) => join(broken, 'Pendulum-v1', a, 'default', 'seed-3'));
    const deadline = Date.now() + 30_000;
    while ((await Promise.all(runDirs.map(progressRows))).some((n) => n < 2) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(-child.pid!, 'SIGKILL');
    await exited; // reaped, so its lock is seen as stale
    const before = await Promise.all(runDirs.map(progressRows));
    expect(before.every((n) => n >= 2 && n < 6)).toBe(true);

    const events: SweepEvent[] = [];
    const s2 = await runSweep(slow(broken), {
      workers: 2,
      defaultCommand: [],
      onEvent: (e) => events.push(e),
    });
    expect(s2.completed.sort()).toEqual(s2.runs.map((r) => r.id).sort());
    const starts = events.filter((e) => e.kind === 'start');
    expect(starts.every((e) => e.kind === 'start' && e.resumedAt >= 2)).toBe(true);
    expect(await readProgress(broken)).toEqual(expected);

    // SIGTERM (as Ctrl-C): the sweep stops its trainer, starts no other run and exits 130
    const stopped = await tempDir();
    const stopFile = join(stopped, 'tiny.yaml');
    await writeFile(stopFile, JSON.stringify({ ...config(stopped), out: stopped }));
    const sweep = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'sweep', stopFile, '--workers', '1'],
      {
        stdio: 'ignore',
      },
    );
    const [first, second] = ['trpo', 'trpo-sr'].map((a) =>
      join(stopped, 'Pendulum-v1', a, 'default', 'seed-3'),
    );
    const until = Date.now() + 30_000;
    while ((await progressRows(first!)) < 2 && Date.now() < until)
      await new Promise((r) => setTimeout(r, 20));
    const code = new Promise((r) => sweep.once('exit', (c) => r(c)));
    sweep.kill('SIGTERM');
    expect(await code).toBe(130);
    expect(await progressRows(second!)).toBe(0);
    const s4 = await runSweep(config(stopped), { workers: 2, defaultCommand: [] });
    expect(s4.completed).toHaveLength(2);
    expect(await readProgress(stopped)).toEqual(expected);

    // a third start skips both finished runs and launches nothing
    const s3 = await runSweep(slow(broken), { workers: 2, defaultCommand: [] });
    expect(s3.skipped).toHaveLength(2);
    expect(s3.completed).toHaveLength(0);
  }, 90_000);

  test('a failing run is reported with its log and the others finish', async () => {
    const root = await tempDir();
    const cfg = config(root, {
      envs: ['Pendulum-v1', 'Hopper-v2'],
      algorithms: ['trpo'],
      options: { sleepMs: 0, failEnv: 'Hopper-v2' },
    });
    const events: SweepEvent[] = [];
    const s = await runSweep(cfg, { workers: 1, defaultCommand: [], onEvent: (e) => events.push(e) });
    expect(s.failed).toEqual(['Hopper-v2/trpo/default/seed-3']);
    expect(s.completed).toEqual(['Pendulum-v1/trpo/default/seed-3']);
    const fail = events.find((e) => e.kind === 'fail');
    expect(fail && fail.kind === 'fail' && fail.exitCode).toBe(3);
    expect(fail && fail.kind === 'fail' && fail.log).toMatch(/refusing env Hopper-v2 on purpose/);
    const last = events.filter((e) => e.kind === 'progress').at(-1);
    expect(last && last.kind === 'progress' && last.status).toMatchObject({
      total: 2,
      done: 1,
      failed: 1,
      left: 0,
    });
  }, 30_000);

  test('a filtered sweep runs only the selected runs and still indexes the whole plan', async () => {
    const out = await tempDir();
    const s = await runSweep(config(out), {
      workers: 2,
      defaultCommand: [],
      only: { algorithms: ['trpo-sr'] },
    });
    expect(s.completed).toEqual(['Pendulum-v1/trpo-sr/default/seed-3']);
    expect(await progressRows(join(out, 'Pendulum-v1', 'trpo', 'default', 'seed-3'))).toBe(0);
    const index = JSON.parse(await readFile(join(out, 'sweep.json'), 'utf8')) as { runs: unknown[] };
    expect(index.runs).toHaveLength(2);
  }, 30_000);

  test('a trainer that exits 0 before its last iteration is a failure, not a finished run', async () => {
    const out = await tempDir();
    const s = await runSweep(config(out, { options: { quitAt: 2 }, algorithms: ['trpo'] }), {
      workers: 1,
      defaultCommand: [],
    });
    expect(s.completed).toEqual([]);
    expect(s.failed).toEqual(['Pendulum-v1/trpo/default/seed-3']);
    expect(await exists(join(out, 'Pendulum-v1', 'trpo', 'default', 'seed-3', 'sweep-done.json'))).toBe(
      false,
    );
  }, 30_000);

  test('a stalled trainer is killed and resumed, and the run ends as an uninterrupted one; one that keeps stalling fails', async () => {
    const straight = await tempDir();
    await runSweep(config(straight, { options: { sleepMs: 0 } }), { workers: 2, defaultCommand: [] });
    const expected = await readProgress(straight);

    const out = await tempDir();
    const events: SweepEvent[] = [];
    const s = await runSweep(config(out, { options: { sleepMs: 0, hangAt: 3 } }), {
      workers: 2,
      defaultCommand: [],
      stallSeconds: 2,
      onEvent: (e) => events.push(e),
    });
    expect(s.completed.sort()).toEqual(s.runs.map((r) => r.id).sort());
    expect(await readProgress(out)).toEqual(expected);
    const stalls = events.filter((e) => e.kind === 'stalled');
    expect(stalls).toHaveLength(2);
    expect(stalls.every((e) => e.kind === 'stalled' && e.iteration === 3 && e.restart)).toBe(true);
    const resumed = events.filter((e) => e.kind === 'start' && e.resumedAt === 3);
    expect(resumed).toHaveLength(2);
    const log = await readFile(join(out, 'Pendulum-v1', 'trpo', 'default', 'seed-3', 'train.log'), 'utf8');
    expect(log).toMatch(/stalled: no new progress row for 2 s after iteration 3; killed \(SIGKILL\)/);

    const stuck = await tempDir();
    const failed: SweepEvent[] = [];
    const f = await runSweep(
      config(stuck, { algorithms: ['trpo'], options: { sleepMs: 0, hangAt: 2, hangTimes: 9 } }),
      { workers: 1, defaultCommand: [], stallSeconds: 2, stallRestarts: 1, onEvent: (e) => failed.push(e) },
    );
    expect(f.failed).toEqual(['Pendulum-v1/trpo/default/seed-3']);
    expect(failed.filter((e) => e.kind === 'stalled').map((e) => e.kind === 'stalled' && e.restart)).toEqual([
      true,
      false,
    ]);
    const fail = failed.find((e) => e.kind === 'fail');
    expect(fail && fail.kind === 'fail' && fail.log).toMatch(/stalled 2 times \(no progress row for 2 s\)/);
    await expect(runSweep(config(stuck), { defaultCommand: [], stallSeconds: -1 })).rejects.toThrow(
      /stall timeout must be a number of seconds ≥ 0, got -1/,
    );
  }, 30_000);
});
