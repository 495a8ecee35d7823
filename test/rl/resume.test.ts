/**
 * Resume: 10 iterations in one go equal 5 + resume + 5, bit for bit on the CPU backend:
 * policy parameters, baseline, progress rows (timings aside). TRPO-SR with observation
 * normalization and the MLP baseline, so every piece of saved state is exercised
 * (sampler episode replay, normalizer statistics, PGD and minibatch RNGs, Adam state).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/rl/config.js';
import { readFlat } from '../../src/rl/params.js';
import { parseCsv } from '../../src/rl/run/csv-log.js';
import { planRun, trainRun } from '../../src/rl/run/train-run.js';

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
