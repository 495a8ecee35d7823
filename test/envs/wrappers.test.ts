// Wrappers: time limit, action clipping/rescaling, observation normalization, episode
// statistics, observation perturbation.
import { expect, test } from 'vitest';
import {
  ClipAction,
  EpisodeStatistics,
  NormalizeObservation,
  PerturbObservation,
  RescaleAction,
  RunningMeanStd,
  TimeLimit,
  makeEnv,
} from '../../src/envs/index.js';
import { Rng } from '../../src/util/rng.js';
import { mujocoOf } from './helpers.js';

test('TimeLimit: locomotion default 1000, custom limits, truncated (not terminated)', async () => {
  const env = await makeEnv('Swimmer-v5');
  expect(env).toBeInstanceOf(TimeLimit);
  expect((env as TimeLimit).maxEpisodeSteps).toBe(1000);
  const short = new TimeLimit(await makeEnv('Swimmer-v5', { maxEpisodeSteps: null }), 5);
  short.reset({ seed: 0 });
  const flags = Array.from({ length: 5 }, () => short.step([0, 0]));
  expect(flags.map((r) => r.truncated)).toEqual([false, false, false, false, true]);
  expect(flags.every((r) => !r.terminated)).toBe(true);
  expect(short.elapsedSteps).toBe(5);
  env.close();
  short.close();
});

test('ClipAction clips to the bounds before the env (ctrl cost on the clipped action)', async () => {
  const env = new ClipAction(await makeEnv('HalfCheetah-v5'));
  env.reset({ seed: 0 });
  const r = env.step([5, -5, 0.5, 0, 0, 0]);
  expect(r.info.rewardCtrl).toBeCloseTo(-0.1 * (1 + 1 + 0.25), 12);
  env.close();
});

test('RescaleAction maps [min, max] onto the env bounds', async () => {
  const inner = await makeEnv('Pendulum-v1'); // bounds ±2
  const env = new RescaleAction(inner, 0, 1);
  expect(Array.from(env.actionSpace.low)).toEqual([0]);
  expect(Array.from(env.actionSpace.high)).toEqual([1]);
  env.reset({ seed: 1 });
  const ref = await makeEnv('Pendulum-v1');
  ref.reset({ seed: 1 });
  // 0.75 in [0, 1] is +1 in [−2, 2]
  expect(env.step([0.75]).reward).toBe(ref.step([1]).reward);
});

test('RunningMeanStd matches the batch mean and (population) variance', () => {
  const rng = new Rng(2);
  const rms = new RunningMeanStd(2);
  const xs = Array.from({ length: 500 }, () => [rng.normal() * 3 + 1, rng.uniform(-1, 5)]);
  for (const x of xs) rms.update(x);
  for (let j = 0; j < 2; j++) {
    const mean = xs.reduce((s, x) => s + x[j]!, 0) / xs.length;
    const v = xs.reduce((s, x) => s + (x[j]! - mean) ** 2, 0) / xs.length;
    expect(rms.mean[j]).toBeCloseTo(mean, 5);
    expect(rms.var[j]).toBeCloseTo(v, 3);
  }
});

test('NormalizeObservation: normalized output, freezable, state round-trips', async () => {
  const env = new NormalizeObservation(await makeEnv('Hopper-v5'));
  env.reset({ seed: 0 });
  const rng = new Rng(3);
  let r = env.step([0, 0, 0]);
  for (let i = 0; i < 300 && !r.terminated; i++) r = env.step(rng.fillUniform(new Float64Array(3), -1, 1));
  const raw = mujocoOf(env).getQpos();
  const s = env.getState();
  expect(s.count).toBeGreaterThan(2);
  // the output is (raw − mean)/sqrt(var + 1e-8) for the raw observation's first entry (qpos[1])
  const expected = (raw[1]! - s.mean[0]!) / Math.sqrt(s.var[0]! + 1e-8);
  expect(r.obs[0]).toBeCloseTo(Math.max(-10, Math.min(10, expected)), 10);

  env.frozen = true;
  env.reset({ seed: 1 });
  env.step([0, 0, 0]);
  expect(env.getState().count).toBe(s.count);

  const other = new NormalizeObservation(await makeEnv('Hopper-v5'));
  other.setState(env.getState());
  expect(other.frozen).toBe(true);
  const o1 = Array.from(env.reset({ seed: 5 }).obs);
  expect(Array.from(other.reset({ seed: 5 }).obs)).toEqual(o1);
  expect(() => other.setState({ mean: [1], var: [1], count: 1 })).toThrow(/length 11/);
  env.close();
  other.close();
});

test('EpisodeStatistics reports return and length at the end of each episode', async () => {
  const env = new EpisodeStatistics(await makeEnv('Pendulum-v1', { maxEpisodeSteps: 10 }));
  for (let ep = 0; ep < 3; ep++) {
    env.reset({ seed: ep });
    let sum = 0;
    let r = env.step([0.1]);
    sum += r.reward;
    while (!r.truncated) {
      expect(r.info.episodeReturn).toBeUndefined();
      r = env.step([0.1]);
      sum += r.reward;
    }
    expect(r.info.episodeLength).toBe(10);
    expect(r.info.episodeReturn).toBeCloseTo(sum, 12);
  }
  expect(env.history.length).toBe(3);
  expect(env.history.every((h) => h.length === 10)).toBe(true);
});

test('PerturbObservation changes what the agent sees, not the physics', async () => {
  const plain = await makeEnv('Walker2d-v5');
  const shifted = new PerturbObservation(await makeEnv('Walker2d-v5'), (o) => {
    for (let i = 0; i < o.length; i++) o[i] = o[i]! + 0.5;
    return o;
  });
  const a = plain.reset({ seed: 4 }).obs.slice();
  const b = shifted.reset({ seed: 4 }).obs;
  expect(Array.from(b)).toEqual(Array.from(a).map((x) => x + 0.5));
  const actions = Array.from({ length: 20 }, (_, i) => new Float64Array(6).fill(0.2 * Math.sin(i)));
  for (const act of actions) {
    const r1 = plain.step(act);
    const r2 = shifted.step(act);
    expect(r2.reward).toBe(r1.reward); // same physics
    expect(Array.from(shifted.lastTrueObs)).toEqual(Array.from(r1.obs));
    expect(r2.obs[0]).toBeCloseTo(r1.obs[0]! + 0.5, 12);
    expect(r2.terminated).toBe(r1.terminated);
    if (r1.terminated) break;
  }
  const bad = new PerturbObservation(await makeEnv('Pendulum-v1'), () => [1, 2]);
  expect(() => bad.reset({ seed: 0 })).toThrow(/returned length 2, expected 3/);
});
