/**
 * garage's whole-path sampler (`--sampler whole-paths`, the garage-benchmark preset):
 * with 100-step paths and batch 1024 it returns garage's 1200 steps (3 rounds of 4
 * lockstep envs); paths vary in length when the task can end early and the batch is then
 * the smallest set of completed paths with ≥ batchSize steps; every path end is terminal;
 * 3 + resume + 3 iterations equal 6 in one go.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../helpers/temp-dirs.js';
import { makeEnv } from '../../../src/envs/index.js';
import { readFlat } from '../../../src/rl/params.js';
import { GaussianMlpPolicy } from '../../../src/rl/trpo/gaussian-policy.js';
import { resolveConfig } from '../../../src/rl/trpo/config.js';
import { WholePathSampler } from '../../../src/rl/trpo/whole-path-sampler.js';
import { planRun, trainRun } from '../../../src/rl/run/train-run.js';

const root = await tempDirs('sr2l-whole-paths-')();

const policyFor = (obsDim: number, actDim: number) =>
  new GaussianMlpPolicy({ obsDim, actDim, hidden: [8], dtype: 'float64', rng: 1 });

describe('WholePathSampler', () => {
  it('100-step paths, batch 1024: 4 lockstep envs give 1200 steps, 1 env gives 1100', async () => {
    for (const [envs, steps] of [
      [4, 1200],
      [1, 1100],
      [3, 1200],
    ] as const) {
      const env = await makeEnv('Pendulum-v1', { maxEpisodeSteps: 100 });
      const sampler = new WholePathSampler(env, null, 5, true, envs);
      const batch = await sampler.sample(policyFor(3, 1), 1024);
      expect(batch.size).toBe(steps);
      expect(batch.segments).toHaveLength(steps / 100);
      for (const seg of batch.segments) {
        expect(seg.end - seg.start).toBe(100);
        expect(seg.terminated).toBe(true); // garage: the time-limit cut counts as an end
        expect(seg.nextObs).toBeNull();
        expect(batch.t[seg.start]).toBe(0);
        expect(batch.t[seg.end - 1]).toBe(99);
      }
      expect(batch.episodeLengths.every((l) => l === 100)).toBe(true);
      env.close();
    }
  });

  it('with early ends the batch is the first settled set of completed paths holding ≥ batchSize', async () => {
    const env = await makeEnv('Hopper-v2', { maxEpisodeSteps: 60 });
    const sampler = new WholePathSampler(env, null, 2, true, 4);
    const policy = policyFor(11, 3);
    for (let k = 0; k < 3; k++) {
      const batch = await sampler.sample(policy, 300);
      const lengths = batch.episodeLengths;
      expect(lengths.reduce((a, b) => a + b, 0)).toBe(batch.size);
      expect(batch.size).toBeGreaterThanOrEqual(300);
      // minimal: the paths completed before the last one hold fewer than batchSize steps
      // (these seeds have no two paths completing on the same tick)
      expect(batch.size - lengths.at(-1)!).toBeLessThan(300);
      expect(new Set(lengths).size).toBeGreaterThan(1); // a random Hopper falls at different times
      expect(batch.segments.every((s) => s.terminated)).toBe(true);
    }
    env.close();
  });

  it('3 + resume + 3 iterations equal 6 in one go', async () => {
    const settings = {
      algo: 'trpo-sr',
      env: 'Pendulum-v1',
      seed: 4,
      batchSize: 128,
      maxEpisodeSteps: 40,
      sampler: 'whole-paths',
      samplerEnvs: 4,
      evalEvery: 0,
      checkpointEvery: 3,
      dtype: 'float64',
    };
    const whole = join(root, 'whole');
    const a = await trainRun(resolveConfig({ ...settings, iterations: 6 }), { out: whole });
    const parts = join(root, 'parts');
    (await trainRun(resolveConfig({ ...settings, iterations: 3 }), { out: parts })).trainer.close();
    const resumed = await planRun(parts, null, { resume: true, overrides: { iterations: 6 } });
    const b = await trainRun(resumed, { out: parts, resume: true });
    expect(b.history.map((h) => h.EnvSteps)).toEqual(a.history.slice(3).map((h) => h.EnvSteps));
    expect(a.history[0]!.EnvSteps).toBe(160); // 4 paths of 40 steps
    expect(Array.from(await readFlat(b.trainer.policy.paramList()))).toEqual(
      Array.from(await readFlat(a.trainer.policy.paramList())),
    );
    a.trainer.close();
    b.trainer.close();
  });
});
