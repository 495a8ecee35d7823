/**
 * Resume: 10 iterations in one go equal 5 + resume + 5, bit for bit on the CPU backend:
 * policy parameters, baseline, progress rows (timings aside). TRPO-SR with observation
 * normalization and the MLP baseline, so every piece of saved state is exercised
 * (sampler episode replay, normalizer statistics, PGD and minibatch RNGs, Adam state).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/rl/trpo/config.js';
import { readFlat } from '../../../src/rl/params.js';
import { progressRows } from '../../../src/experiments/run-files.js';
import { parseCsv } from '../../../src/rl/run/csv-log.js';
import { latestCheckpoint } from '../../../src/rl/run/checkpoint.js';
import { planRun, trainRun } from '../../../src/rl/run/train-run.js';

const root = mkdtempSync(join(tmpdir(), 'sr2l-resume-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const settings = {
  algo: 'trpo-sr',
  env: 'Hopper-v2',
  seed: 3,
  batchSize: 150,
  normalizeObs: true,
  baseline: 'mlp',
  evalEvery: 4,
  evalEpisodes: 1,
  checkpointEvery: 5,
  maxEpisodeSteps: 120,
};

async function finalState(dir: string) {
  const rows = parseCsv(readFileSync(join(dir, 'progress.csv'), 'utf8')).map((r) => {
    const { TimeSampling: _a, TimeOptimize: _b, ...rest } = r;
    return rest;
  });
  return rows;
}

describe('resume', () => {
  it('10 iterations in one go equal 5 + resume + 5 (parameters identical)', async () => {
    const whole = join(root, 'whole');
    const a = await trainRun(resolveConfig({ ...settings, iterations: 10 }), { out: whole });
    const parts = join(root, 'parts');
    const b1 = await trainRun(resolveConfig({ ...settings, iterations: 5 }), { out: parts });
    b1.trainer.close();
    const resumed = await planRun(parts, null, { resume: true, overrides: { iterations: 10 } });
    const b = await trainRun(resumed, { out: parts, resume: true });
    expect(b.resumedFrom).toBe(5);
    expect(b.history.map((h) => h.Iteration)).toEqual([6, 7, 8, 9, 10]);

    const pa = await readFlat(a.trainer.policy.paramList());
    const pb = await readFlat(b.trainer.policy.paramList());
    expect(Array.from(pb)).toEqual(Array.from(pa));
    const va = await readFlat(
      (a.trainer.baseline as unknown as { net: { parameters(): never[] } }).net.parameters(),
    );
    const vb = await readFlat(
      (b.trainer.baseline as unknown as { net: { parameters(): never[] } }).net.parameters(),
    );
    expect(Array.from(vb)).toEqual(Array.from(va));
    expect(await finalState(parts)).toEqual(await finalState(whole));
    expect(b.trainer.normalizer!.getState()).toEqual(a.trainer.normalizer!.getState());
    a.trainer.close();
    b.trainer.close();
  }, 240_000);
});

describe('stopping', () => {
  it('an aborted run checkpoints the iteration it finished and resumes from there', async () => {
    const out = join(root, 'stopped');
    const stop = new AbortController();
    const config = resolveConfig({
      env: 'Pendulum-v1',
      batchSize: 64,
      iterations: 20,
      checkpointEvery: 10,
      evalEvery: 0,
    });
    const r = await trainRun(config, {
      out,
      signal: stop.signal,
      onIteration: (s) => {
        if (s.Iteration === 3) stop.abort();
      },
    });
    r.trainer.close();
    expect(r.stopped).toBe(true);
    expect(r.trainer.iteration).toBe(3);
    expect(await latestCheckpoint(out)).toBe(3);
    // every iteration was checkpointed; 1 (not a multiple of 10, older than the newest two) was removed
    expect(readdirSync(join(out, 'checkpoints')).sort()).toEqual([
      'iter-000002',
      'iter-000003',
      'latest.json',
    ]);
  }, 60_000);
});

describe('a killed training process', () => {
  it('loses at most the iteration in progress, and resuming it matches an uninterrupted run', async () => {
    const out = join(root, 'killed');
    const args = ['--algo', 'trpo', '--env', 'Pendulum-v1', '--seed', '2', '--batch-size', '64'];
    const rest = ['--checkpoint-every', '50', '--eval-every', '0', '--quiet'];
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'train', ...args, '--iterations', '1000', ...rest, '--out', out],
      { stdio: 'ignore' },
    );
    const exited = new Promise((r) => child.once('exit', r));
    const deadline = Date.now() + 60_000;
    while ((await progressRows(out)) < 4 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    await exited;
    const rows = await progressRows(out);
    const latest = (await latestCheckpoint(out))!;
    expect(rows).toBeGreaterThanOrEqual(4);
    expect(latest).toBeGreaterThanOrEqual(rows - 1);

    const target = latest + 2;
    const resumed = await planRun(out, null, { resume: true, overrides: { iterations: target } });
    (await trainRun(resumed, { out, resume: true })).trainer.close();
    const straight = join(root, 'unkilled');
    const config = resolveConfig({
      algo: 'trpo',
      env: 'Pendulum-v1',
      seed: 2,
      batchSize: 64,
      iterations: target,
      checkpointEvery: 50,
      evalEvery: 0,
    });
    (await trainRun(config, { out: straight })).trainer.close();
    expect(await finalState(out)).toEqual(await finalState(straight));
  }, 120_000);

  it('SIGTERM finishes the iteration, checkpoints it and exits 130 (unfinished)', async () => {
    const out = join(root, 'terminated');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/main.ts',
        'train',
        '--algo',
        'trpo',
        '--env',
        'Pendulum-v1',
        '--batch-size',
        '64',
        '--iterations',
        '1000',
        '--eval-every',
        '0',
        '--quiet',
        '--out',
        out,
      ],
      { stdio: 'ignore' },
    );
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const deadline = Date.now() + 60_000;
    while ((await progressRows(out)) < 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGTERM');
    expect(await exited).toBe(130);
    expect(await latestCheckpoint(out)).toBe(await progressRows(out));
  }, 120_000);
});
