// Pendulum-v1 (plain TypeScript) against gym's equations, worked by hand here.
import { expect, test } from 'vitest';
import { PendulumEnv, angleNormalize, makeEnv } from '../../src/envs/index.js';

test('spaces, 200-step limit, determinism', async () => {
  const env = await makeEnv('Pendulum-v1');
  expect(env.observationSpace.shape).toEqual([3]);
  expect(Array.from(env.observationSpace.high)).toEqual([1, 1, 8]);
  expect(Array.from(env.actionSpace.low)).toEqual([-2]);
  expect(env.dt).toBe(0.05);
  const a = Array.from(env.reset({ seed: 9 }).obs);
  let steps = 0;
  let r = env.step([1]);
  steps++;
  while (!r.truncated) {
    expect(r.terminated).toBe(false);
    r = env.step([1]);
    steps++;
  }
  expect(steps).toBe(200);
  expect(Array.from(env.reset({ seed: 9 }).obs)).toEqual(a);
  expect(Array.from(env.reset({ seed: 10 }).obs)).not.toEqual(a);
});

test('one step follows θ̇ += (3g/2·sin θ + 3u)·dt (clipped), θ += θ̇·dt, reward −(θ² + 0.1θ̇² + 0.001u²)', () => {
  const env = new PendulumEnv();
  env.reset({ seed: 3 });
  for (const u of [0.5, -3, 2]) {
    const [th, thDot] = env.state;
    const uc = Math.max(-2, Math.min(2, u));
    const expectedDot = Math.max(-8, Math.min(8, thDot + (15 * Math.sin(th) + 3 * uc) * 0.05));
    const expectedTh = th + expectedDot * 0.05;
    const an = angleNormalize(th);
    const r = env.step([u]);
    expect(r.reward).toBeCloseTo(-(an * an + 0.1 * thDot * thDot + 0.001 * uc * uc), 12);
    expect(env.state[0]).toBeCloseTo(expectedTh, 12);
    expect(env.state[1]).toBeCloseTo(expectedDot, 12);
    expect(Array.from(r.obs)).toEqual([Math.cos(expectedTh), Math.sin(expectedTh), expectedDot]);
  }
});

test('reset draws θ in [−π, π) and θ̇ in [−1, 1); angleNormalize maps into [−π, π)', () => {
  const env = new PendulumEnv();
  for (let s = 0; s < 50; s++) {
    env.reset({ seed: s });
    const [th, thDot] = env.state;
    expect(Math.abs(th)).toBeLessThanOrEqual(Math.PI);
    expect(Math.abs(thDot)).toBeLessThanOrEqual(1);
  }
  expect(angleNormalize(3 * Math.PI)).toBeCloseTo(-Math.PI, 12);
  expect(angleNormalize(0.5)).toBeCloseTo(0.5, 15);
  expect(angleNormalize(-0.5 - 4 * Math.PI)).toBeCloseTo(-0.5, 12);
});

test('InvertedPendulum-v5: obs [x, θ, ẋ, θ̇], +1 per upright step, ends when |θ| > 0.2', async () => {
  const env = await makeEnv('InvertedPendulum-v5');
  expect(env.observationSpace.shape).toEqual([4]);
  expect(Array.from(env.actionSpace.high)).toEqual([3]);
  expect(env.dt).toBeCloseTo(0.04, 12);
  const { obs } = env.reset({ seed: 0 });
  expect(Array.from(obs).every((x) => Math.abs(x) <= 0.01)).toBe(true);
  let total = 0;
  let r = env.step([0]);
  while (!r.terminated && !r.truncated) {
    expect(r.reward).toBe(1);
    total += r.reward;
    r = env.step([3]); // push hard: the pole falls back
  }
  expect(r.terminated).toBe(true);
  expect(r.reward).toBe(0);
  expect(Math.abs(r.obs[1]!)).toBeGreaterThan(0.2);
  expect(total).toBeGreaterThan(0);
  env.close();
});
