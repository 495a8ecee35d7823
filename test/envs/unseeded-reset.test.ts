// An unseeded first reset draws its seed from Web Crypto (no Node built-in, so environments
// also load in a browser): two fresh environments start in different states.
import { expect, test } from 'vitest';
import { makeEnv } from '../../src/envs/index.js';

test('unseeded first resets differ; a seeded reset still repeats', async () => {
  const starts = await Promise.all(
    [0, 1, 2].map(async () => Array.from((await makeEnv('Pendulum-v1')).reset().obs)),
  );
  // three 32-bit seeds drawing the same start: probability about 1e-9
  expect(new Set(starts.map((s) => s.join(','))).size).toBe(3);
  const env = await makeEnv('Pendulum-v1');
  expect(Array.from(env.reset({ seed: 5 }).obs)).toEqual(Array.from(env.reset({ seed: 5 }).obs));
});
