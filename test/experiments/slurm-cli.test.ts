/**
 * The Slurm executor's command line without a cluster: the --dry-run script is stable (snapshot),
 * bad Slurm options are usage errors before anything is written or submitted, `--task K` is
 * idempotent, and `sweep status` reads a sweep folder's runs (done, failed with its log, pending).
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/index.js';
import { validateSweepConfig } from '../../src/experiments/config.js';
import { shellQuote } from '../../src/experiments/slurm/script.js';
import { runTask, slurmJobId } from '../../src/experiments/slurm/task.js';
import { writeSweepIndex } from '../../src/experiments/sweep.js';
import { planSweep } from '../../src/experiments/plan.js';
import { UNGROUPED, arrayRanges } from '../../src/experiments/tasks.js';
import { slurmSeconds } from '../../src/experiments/slurm/options.js';
import { captureConsole } from '../helpers/console.js';
import { tempDirs } from '../helpers/temp-dirs.js';

const tempDir = tempDirs('sr2l-slurm-cli-');
afterEach(() => vi.restoreAllMocks());
const fake = resolve('test/experiments/fixtures/fake-train.mjs');
const TINY = 'test/experiments/fixtures/slurm-tiny.yaml';

/** The script with this machine's paths replaced: the sr2l command, the repository. */
function normalized(script: string): string {
  const sr2l = [process.execPath, ...process.execArgv, process.argv[1]!].map(shellQuote).join(' ');
  return script.replaceAll(sr2l, '<sr2l>').replaceAll(process.cwd(), '<repo>');
}

describe('sr2l sweep --executor slurm (no cluster needed)', () => {
  test('--dry-run prints the sbatch script and nothing is written (snapshot)', async () => {
    const out = captureConsole();
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const args = ['sweep', TINY, '--executor', 'slurm', '--dry-run'];
    const flags = ['--partition', 'gpu', '--time', '1-00:00', '--mem', '4G', '--cpus-per-task', '2'];
    const more = ['--max-parallel', '8', '--sbatch-arg=--qos=low', '--sbatch-arg=--account=rl'];
    expect(await main([...args, ...flags, ...more])).toBe(0);
    expect(out.all()).toBe('');
    const script = write.mock.calls.map((c) => String(c[0])).join('');
    expect(normalized(script)).toMatchSnapshot();
    expect(existsSync('runs/slurm-tiny')).toBe(false);
    // filters shrink the array to the tasks of the selected runs; indices stay those of the whole plan
    write.mockClear();
    expect(await main([...args, '--seeds', '1', '--algorithms', 'trpo-sr'])).toBe(0);
    expect(write.mock.calls.join('')).toMatch(/#SBATCH --array=1\n/);
  });

  test('--dry-run of a sweep with populations: one array task per population of at most --max-population seeds (snapshot)', async () => {
    captureConsole();
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const file = resolve('test/experiments/fixtures/slurm-population.yaml');
    const args = ['sweep', file, '--executor', 'slurm', '--dry-run', '--max-population', '2'];
    expect(await main(args)).toBe(0);
    // tasks: ddpg-sr-a seeds 0,1 | trpo 0,1 | ddpg-sr-a seed 2 | trpo 2
    expect(normalized(write.mock.calls.map((c) => String(c[0])).join(''))).toMatchSnapshot();
    write.mockClear();
    expect(await main([...args, '--seeds', '1,2', '--algorithms', 'ddpg-sr-a'])).toBe(0);
    expect(write.mock.calls.join('')).toMatch(/#SBATCH --array=0,2\n/);
    write.mockClear();
    expect(await main([...args.slice(0, -2), '--population', 'off'])).toBe(0);
    expect(write.mock.calls.join('')).toMatch(
      /#SBATCH --array=0-5\n[^]*--population off --max-population 10 --task/,
    );
    expect(await main([...args, '--population', 'sometimes'])).toBe(2);
    expect(await main([...args.slice(0, -1), '0'])).toBe(2);
  });

  test('bad Slurm options are usage errors naming the flag, before anything is submitted', async () => {
    const out = captureConsole();
    const cases: [string[], RegExp][] = [
      [
        ['--time', 'soon'],
        /--time must be a Slurm time limit \(minutes, M:S, H:M:S, D-H, D-H:M or D-H:M:S\), got 'soon'/,
      ],
      [['--time', '2'], /--signal-lead 300 s must be shorter than --time 2 \(120 s\)/],
      [
        ['--mem', '4 GB'],
        /--mem must be a size in megabytes or with a unit K, M, G or T \(e\.g\. 4G\), got '4 GB'/,
      ],
      [['--cpus-per-task', '0'], /--cpus-per-task must be a positive integer, got '0'/],
      [['--max-parallel=-1'], /--max-parallel must be a positive integer, got '-1'/],
      [['--partition', 'a b'], /--partition must be a partition name/],
      [
        ['--sbatch-arg=--array=0-3'],
        /--sbatch-arg '--array=0-3': the executor sets it \(use --max-parallel for %N\)/,
      ],
      [['--sbatch-arg=-pgpu'], /--sbatch-arg '-pgpu': use --partition/],
      [['--sbatch-arg=qos=low'], /--sbatch-arg takes one sbatch option without spaces/],
      [['--executor', 'pbs'], /--executor must be local or slurm, got 'pbs'/],
      [['--workers', '2'], /--workers is for the local executor/],
    ];
    for (const [flags, message] of cases) {
      expect(await main(['sweep', TINY, '--executor', 'slurm', ...flags]), flags.join(' ')).toBe(2);
      expect(out.err()).toMatch(message);
    }
    expect(await main(['sweep', TINY, '--partition', 'gpu'])).toBe(2);
    expect(out.err()).toMatch(/--partition needs --executor slurm/);
    expect(await main(['sweep', TINY, '--task', 'x'])).toBe(2);
    expect(out.err()).toMatch(/--task must be an array index \(an integer ≥ 0\), got 'x'/);
    expect(await main(['sweep', TINY, '--task', '4'])).toBe(2);
    expect(out.err()).toMatch(/task 4 is not in sweep slurm-tiny: its tasks are 0-1/);
    expect(await main(['sweep', TINY, '--task', '1', '--seeds', '0'])).toBe(2);
    expect(out.err()).toMatch(/--task runs one task of the whole plan; drop --seeds/);
    expect(existsSync('runs/slurm-tiny')).toBe(false);
  });

  test('a Slurm that cannot be reached is one line, exit 1; SR2L_DEBUG=1 adds the stack', async () => {
    const dir = await tempDir();
    const file = join(dir, 'tiny.yaml');
    await writeFile(file, JSON.stringify({ ...parse(await readFile(TINY, 'utf8')), out: join(dir, 'out') }));
    const path = process.env.PATH;
    process.env.PATH = join(dir, 'no-bin'); // no sbatch anywhere
    try {
      const out = captureConsole();
      expect(await main(['sweep', file, '--executor', 'slurm'])).toBe(1);
      expect(out.err()).toBe('sr2l sweep: sbatch is not installed here (not on PATH)');
      process.env.SR2L_DEBUG = '1';
      expect(await main(['sweep', file, '--executor', 'slurm'])).toBe(1);
      expect(out.err()).toMatch(/not on PATH\)\nSlurmError: sbatch is not installed here .*\n\s+at /);
    } finally {
      process.env.PATH = path;
      delete process.env.SR2L_DEBUG;
    }
  });

  test('time limits, array lists and job ids', () => {
    expect([
      slurmSeconds('30'),
      slurmSeconds('30:15'),
      slurmSeconds('2:00:00'),
      slurmSeconds('1-12'),
    ]).toEqual([1800, 1815, 7200, 129_600]);
    expect(slurmSeconds('1-0:30:5')).toBe(86_400 + 1805);
    expect(slurmSeconds('1h')).toBeNull();
    expect(arrayRanges([7, 0, 1, 2, 3, 9, 10])).toBe('0-3,7,9-10');
    expect(slurmJobId({ SLURM_ARRAY_JOB_ID: '12', SLURM_ARRAY_TASK_ID: '3', SLURM_JOB_ID: '15' })).toBe(
      '12_3',
    );
    expect(slurmJobId({ SLURM_JOB_ID: '15' })).toBe('15');
    expect(slurmJobId({})).toBeNull();
  });

  test('--task is idempotent; sweep status shows done, failed (with its log) and pending runs', async () => {
    const dir = await tempDir();
    const cfg = validateSweepConfig({
      name: 'st',
      out: dir,
      envs: ['Pendulum-v1', 'Hopper-v2'],
      algorithms: ['trpo'],
      seeds: [0, 1],
      iterations: 3,
      stepsPerIteration: 10,
      options: { failEnv: 'Hopper-v2' },
      command: [process.execPath, fake],
    });
    // the fake trainer trains one seed per process: one run per task
    // task 0 = seed 0 on Pendulum: runs, then a second start skips it at once
    const events: string[] = [];
    const onEvent = (e: { kind: string }) => events.push(e.kind);
    const first = await runTask(cfg, 0, { defaultCommand: [], onEvent, env: {}, grouping: UNGROUPED });
    expect(first.done).toEqual(['Pendulum-v1/trpo/default/seed-0']);
    expect(events).toEqual(['start', 'done']);
    const second = await runTask(cfg, 0, { defaultCommand: [], onEvent, env: {}, grouping: UNGROUPED });
    expect(second.done).toHaveLength(1);
    expect(events.slice(2)).toEqual(['skip']);
    // task 1 = seed 0 on Hopper: the trainer refuses it
    expect((await runTask(cfg, 1, { defaultCommand: [], env: {}, grouping: UNGROUPED })).failed).toEqual([
      'Hopper-v2/trpo/default/seed-0',
    ]);

    // sweep.json holds the whole plan (a local sweep and a Slurm submission write it)
    await writeSweepIndex(dir, cfg, planSweep(cfg, []), UNGROUPED);
    const out = captureConsole();
    expect(await main(['sweep', 'status', dir])).toBe(1);
    const table = out.out();
    expect(table).toMatch(/^RUN +STATE +ITERATIONS +TASK +DETAIL$/m);
    expect(table).toMatch(/^Pendulum-v1\/trpo\/default\/seed-0 +done +3\/3 +0$/m);
    expect(table).toMatch(/^Hopper-v2\/trpo\/default\/seed-0 +failed +0\/3 +1 +exit code 3$/m);
    expect(table).toMatch(/ {4}\| fake-train: refusing env Hopper-v2 on purpose/);
    expect(table).toMatch(/^Pendulum-v1\/trpo\/default\/seed-1 +pending +0\/3 +2$/m);
    expect(table).toMatch(/^4 runs: 1 done, 0 running, 0 queued, 0 stopped, 1 failed, 2 pending$/m);
    expect(await main(['sweep', 'status', join(dir, 'nothing-here')])).toBe(1);
    expect(out.err()).toMatch(/nothing-here is not a sweep folder \(no sweep\.json\)/);
    expect(await readFile(join(dir, 'Hopper-v2/trpo/default/seed-0/sweep-failed.json'), 'utf8')).toMatch(
      /"exitCode":3/,
    );
  });
});
