import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/index.js';
import { keptRuns } from '../../src/experiments/keep-runs.js';
import { captureConsole } from '../helpers/console.js';
import { git, initRepo } from '../helpers/git-repo.js';
import { tempDirs } from '../helpers/temp-dirs.js';

const tempDir = tempDirs('sr2l-sweep-keep-');
afterEach(() => vi.restoreAllMocks());

async function put(path: string, text = 'x'): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, text);
}

/** A sweep folder with one finished run (two checkpoints, eval results) and one unfinished. */
async function fakeSweep(root: string): Promise<string> {
  const out = join(root, 'runs', 'tiny');
  await put(join(out, 'sweep.json'), '{}');
  await put(join(out, 'sweep.lock'));
  const done = join(out, 'Hopper-v2', 'trpo-sr', 'eps=0.01,lambdaS=1', 'seed-0');
  for (const f of [
    'sweep-run.json',
    'config.json',
    'progress.csv',
    'sweep-done.json',
    'train.log',
    'run.lock',
  ])
    await put(join(done, f));
  for (const it of ['iter-000010', 'iter-000020']) {
    await put(join(done, 'checkpoints', it, 'policy.safetensors'));
    await put(join(done, 'checkpoints', it, 'batch.safetensors')); // only for sr2l inspect: not kept
  }
  await put(join(done, 'checkpoints', 'latest.json'), '{"iteration": 20}');
  await put(join(done, 'checkpoints', 'replay', 'segment-0.bin'));
  await put(join(done, 'eval', 'robustness.json'), '{}');
  await put(
    join(out, 'Hopper-v2', 'trpo-sr', 'eps=0.01,lambdaS=1', 'population-0-1', 'population.json'),
    '{}',
  );
  const open = join(out, 'Hopper-v2', 'trpo-sr', 'eps=0.01,lambdaS=1', 'seed-1');
  for (const f of ['sweep-run.json', 'config.json', 'progress.csv']) await put(join(open, f));
  await put(join(open, 'checkpoints', 'latest.json'), '{"iteration": 10}');
  return out;
}

describe('sr2l sweep keep', () => {
  test('keeps what a finished run needs to be skipped, evaluated and reported, and nothing of unfinished runs', async () => {
    const out = await fakeSweep(await tempDir());
    const kept = await keptRuns(out);
    expect(kept.runs).toEqual(['Hopper-v2/trpo-sr/eps=0.01,lambdaS=1/seed-0']);
    const run = 'Hopper-v2/trpo-sr/eps=0.01,lambdaS=1/';
    expect(kept.files).toEqual(
      [
        'sweep.json',
        `${run}population-0-1/population.json`,
        ...['checkpoints/iter-000020/policy.safetensors', 'checkpoints/latest.json', 'config.json']
          .concat(['eval/robustness.json', 'progress.csv', 'sweep-done.json', 'sweep-run.json'])
          .map((f) => `${run}seed-0/${f}`),
      ].sort(),
    );
  });

  test('--commit adds the kept files to git although runs/ is ignored, commits them alone, and is idempotent', async () => {
    const root = await tempDir();
    await initRepo(root, { staged: true });
    const out = await fakeSweep(root);
    const log = captureConsole().all;
    expect(await main(['sweep', 'keep', out, '--commit'])).toBe(0);
    expect(log()).toMatch(
      /1 finished runs, 9 files to keep\ncommitted [0-9a-f]{12}: runs: keep the finished runs of sweep tiny/,
    );
    const tracked = git(root, 'ls-files', 'runs').trim().split('\n');
    expect(tracked).toHaveLength(9);
    expect(tracked).toContain(
      'runs/tiny/Hopper-v2/trpo-sr/eps=0.01,lambdaS=1/seed-0/checkpoints/iter-000020/policy.safetensors',
    );
    expect(
      tracked.some((f) => f.includes('seed-1') || f.endsWith('train.log') || f.includes('iter-000010')),
    ).toBe(false);
    // the user's own staged change stays staged, out of the commit
    expect(git(root, 'diff', '--cached', '--name-only').trim()).toBe('staged.txt');
    expect(await main(['sweep', 'keep', out, '--commit'])).toBe(0);
    expect(log()).toMatch(/nothing new to commit/);
  });

  test('--list prints the kept files alone on stdout (relative to the sweep folder, for tar -T) and the count on stderr', async () => {
    const out = await fakeSweep(await tempDir());
    const console_ = captureConsole();
    expect(await main(['sweep', 'keep', out, '--list'])).toBe(0);
    const listed = console_.out().split('\n');
    expect(listed).toHaveLength(9);
    expect(listed).toContain('sweep.json');
    expect(listed.every((f) => !f.startsWith('/') && !f.includes('files to keep'))).toBe(true);
    expect(console_.err()).toMatch(/1 finished runs, 9 files to keep/);
  });

  test('--unfinished also keeps runs still training at their newest checkpoint, and names the DDPG ones whose replay it leaves out', async () => {
    const out = await fakeSweep(await tempDir());
    const setting = join(out, 'Hopper-v2', 'trpo-sr', 'eps=0.01,lambdaS=1');
    await put(join(setting, 'seed-1', 'checkpoints', 'iter-000010', 'policy.safetensors'));
    await put(join(setting, 'seed-1', 'checkpoints', 'iter-000010', 'batch.safetensors'));
    const ddpg = join(out, 'Hopper-v2', 'ddpg-sr-a', 'default', 'seed-0');
    for (const f of ['sweep-run.json', 'config.json', 'progress.csv']) await put(join(ddpg, f));
    await put(join(ddpg, 'checkpoints', 'latest.json'), '{"iteration": 3}');
    await put(join(ddpg, 'checkpoints', 'replay', 'segment-0.bin'));
    // latest.json copied a moment after its folder list: the folder it names is not there
    const ahead = join(out, 'Hopper-v2', 'trpo', 'default', 'seed-1');
    await put(join(ahead, 'sweep-run.json'));
    await put(join(ahead, 'checkpoints', 'iter-000004', 'policy.safetensors'));
    await put(join(ahead, 'checkpoints', 'latest.json'), '{"iteration": 5}');
    // a run planned but not started yet has nothing to resume from
    await put(join(out, 'Hopper-v2', 'trpo', 'default', 'seed-0', 'sweep-run.json'));

    expect((await keptRuns(out)).files).toHaveLength(9);
    const kept = await keptRuns(out, { unfinished: true });
    expect(kept.runs).toEqual(['Hopper-v2/trpo-sr/eps=0.01,lambdaS=1/seed-0']);
    expect(kept.unfinished).toEqual(['Hopper-v2/trpo-sr/eps=0.01,lambdaS=1/seed-1']);
    expect(kept.leftOut).toEqual([
      { run: 'Hopper-v2/ddpg-sr-a/default/seed-0', why: 'its resume needs the replay buffer, not kept' },
      {
        run: 'Hopper-v2/trpo/default/seed-1',
        why: 'its newest checkpoint checkpoints/iter-000005 is missing',
      },
    ]);
    const open = 'Hopper-v2/trpo-sr/eps=0.01,lambdaS=1/seed-1/';
    expect(kept.files.filter((f) => f.startsWith(open))).toEqual(
      ['checkpoints/iter-000010/policy.safetensors', 'checkpoints/latest.json']
        .concat(['config.json', 'progress.csv', 'sweep-run.json'])
        .map((f) => open + f),
    );
    const log = captureConsole().all;
    expect(await main(['sweep', 'keep', out, '--unfinished'])).toBe(0);
    expect(log()).toContain('1 finished runs, 1 unfinished at their newest checkpoint, 14 files to keep');
    expect(log()).toContain(
      'not kept: Hopper-v2/ddpg-sr-a/default/seed-0 (its resume needs the replay buffer',
    );
  });

  test("--commit --unfinished untracks a run's older checkpoint when its newest moves on, leaving the user's staged work alone", async () => {
    const root = await tempDir();
    await initRepo(root, { staged: true });
    const out = await fakeSweep(root);
    const open = join(out, 'Hopper-v2', 'trpo-sr', 'eps=0.01,lambdaS=1', 'seed-1');
    await put(join(open, 'checkpoints', 'iter-000010', 'policy.safetensors'));
    captureConsole();
    expect(await main(['sweep', 'keep', out, '--unfinished', '--commit'])).toBe(0);
    const seed1 = (): string[] =>
      git(root, 'ls-files', 'runs')
        .trim()
        .split('\n')
        .filter((f) => f.includes('seed-1/checkpoints'));
    expect(seed1().map((f) => f.split('seed-1/')[1])).toEqual([
      'checkpoints/iter-000010/policy.safetensors',
      'checkpoints/latest.json',
    ]);
    expect(git(root, 'log', '-1', '--format=%s').trim()).toBe(
      'runs: keep the finished runs of sweep tiny (1 so far, 1 unfinished at their newest checkpoint)',
    );

    // the run trains on (iteration 10 stays on disk): only its newest checkpoint stays in git
    await put(join(open, 'checkpoints', 'iter-000020', 'policy.safetensors'), 'newer');
    await put(join(open, 'checkpoints', 'latest.json'), '{"iteration": 20}');
    expect(await main(['sweep', 'keep', out, '--unfinished', '--commit'])).toBe(0);
    expect(seed1().map((f) => f.split('seed-1/')[1])).toEqual([
      'checkpoints/iter-000020/policy.safetensors',
      'checkpoints/latest.json',
    ]);
    expect(git(root, 'show', '--name-status', '--format=', 'HEAD').trim().split('\n').sort()).toEqual(
      [
        'A\truns/tiny/Hopper-v2/trpo-sr/eps=0.01,lambdaS=1/seed-1/checkpoints/iter-000020/policy.safetensors',
        'D\truns/tiny/Hopper-v2/trpo-sr/eps=0.01,lambdaS=1/seed-1/checkpoints/iter-000010/policy.safetensors',
        'M\truns/tiny/Hopper-v2/trpo-sr/eps=0.01,lambdaS=1/seed-1/checkpoints/latest.json',
      ].sort(),
    );
    // the index agrees with the new commit, and the user's staged change is still staged, alone
    expect(git(root, 'diff', '--cached', '--name-only').trim()).toBe('staged.txt');
    expect(await main(['sweep', 'keep', out, '--unfinished', '--commit'])).toBe(0);
  });

  test('a folder that is not a sweep is refused with its name', async () => {
    const dir = await tempDir();
    const log = captureConsole().all;
    expect(await main(['sweep', 'keep', dir])).toBe(1);
    expect(log()).toContain(`${dir} is not a sweep folder (it has no sweep.json)`);
  });
});
