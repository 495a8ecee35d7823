/**
 * garage's GaussianMLPBaseline (`--baseline gaussian-mlp`, the garage-benchmark preset):
 * each fit keeps the mean KL within 0.01 and the penalty adapts across fits, repeated fits
 * learn a smooth value function, save/load restores predictions exactly, and a TRPO run
 * with it resumes exactly.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../helpers/temp-dirs.js';
import * as sr from '../../../src/index.js';
import { readFlat } from '../../../src/rl/params.js';
import { GaussianMlpBaseline } from '../../../src/rl/trpo/baselines/gaussian-mlp.js';
import { resolveConfig } from '../../../src/rl/trpo/config.js';
import { planRun, trainRun } from '../../../src/rl/run/train-run.js';

const root = await tempDirs('sr2l-gmlp-')();

const rows = 256;
const obs = sr.rng(1).randn([rows, 3], { dtype: 'float64' }).dataSync() as Float64Array;
const targets = Float64Array.from(
  { length: rows },
  (_, r) => 50 + 20 * Math.sin(obs[3 * r]!) + 10 * obs[3 * r + 1]!,
);
const t = new Int32Array(rows);
const mse = (p: Float64Array): number => p.reduce((a, v, i) => a + (v - targets[i]!) ** 2, 0) / rows;

describe('GaussianMlpBaseline', () => {
  it('fits within the KL bound, adapts the penalty, and learns over repeated fits', async () => {
    const b = new GaussianMlpBaseline(3, { dtype: 'float64', seed: 2 });
    const variance = mse(Float64Array.from(targets, () => targets.reduce((a, v) => a + v, 0) / rows));
    const errors: number[] = [];
    const penalties: number[] = [];
    for (let k = 0; k < 8; k++) {
      await b.fit(obs, t, targets, rows);
      expect(b.lastKl).toBeLessThan(0.01);
      penalties.push(b.penalty);
      errors.push(mse(await b.predict(obs, t, rows)));
    }
    expect(new Set(penalties).size).toBeGreaterThan(1); // the penalty moved
    expect(errors.at(-1)!).toBeLessThan(errors[0]!);
    expect(errors.at(-1)!).toBeLessThan(0.5 * variance);
  });

  it('save/load restores the predictions exactly and refuses a wrong state file', async () => {
    const a = new GaussianMlpBaseline(3, { dtype: 'float64', seed: 2 });
    await a.fit(obs, t, targets, rows);
    await a.save(join(root, 'b'));
    const b = new GaussianMlpBaseline(3, { dtype: 'float64', seed: 9 });
    await b.load(join(root, 'b'));
    expect(Array.from(await b.predict(obs, t, rows))).toEqual(Array.from(await a.predict(obs, t, rows)));
    expect(b.penalty).toBe(a.penalty);
    const c = new GaussianMlpBaseline(4, { dtype: 'float64' });
    await expect(c.load(join(root, 'b'))).rejects.toThrow();
  });

  it('TRPO with it: 2 + resume + 2 iterations equal 4 in one go', async () => {
    const settings = {
      algo: 'trpo',
      env: 'Pendulum-v1',
      seed: 5,
      batchSize: 200,
      baseline: 'gaussian-mlp',
      evalEvery: 0,
      checkpointEvery: 2,
      dtype: 'float64',
    };
    const a = await trainRun(resolveConfig({ ...settings, iterations: 4 }), { out: join(root, 'whole') });
    const parts = join(root, 'parts');
    (await trainRun(resolveConfig({ ...settings, iterations: 2 }), { out: parts })).trainer.close();
    const resumed = await planRun(parts, null, { resume: true, overrides: { iterations: 4 } });
    const b = await trainRun(resumed, { out: parts, resume: true });
    expect(Array.from(await readFlat(b.trainer.policy.paramList()))).toEqual(
      Array.from(await readFlat(a.trainer.policy.paramList())),
    );
    const va = await a.trainer.baseline.predict(obs, t, 10);
    expect(Array.from(await b.trainer.baseline.predict(obs, t, 10))).toEqual(Array.from(va));
    a.trainer.close();
    b.trainer.close();
  }, 30_000);
});
