/**
 * WorkerEnvGroup: environment i of the group, on a worker thread, answers exactly as a
 * main-thread copy given the same calls, whether its calls are queued for a round (with
 * the other environments' in the same round, resets and steps mixed) or made alone
 * (blocking); a bad action fails its own caller only.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { makeEnv } from '../../src/envs/registry.js';
import { WorkerEnvGroup } from '../../src/envs/vector/worker-env-group.js';

const group = await WorkerEnvGroup.create('Pendulum-v1', { count: 3, numWorkers: 2 });
afterAll(() => group.close());

describe('WorkerEnvGroup', () => {
  it('each environment sees its own calls, in rounds or alone, as a main-thread copy does', async () => {
    const local = await Promise.all([0, 1, 2].map(() => makeEnv('Pendulum-v1')));
    const envs = [0, 1, 2].map((i) => group.env(i));
    expect(envs[1]!.observationSpace.shape).toEqual(local[1]!.observationSpace.shape);
    expect(envs[1]!.dt).toBe(local[1]!.dt);
    // round 1: resets with each one's seed
    const resets = envs.map((e, i) => e.resetAsync({ seed: 10 + i }));
    expect(group.pending).toEqual(new Set([0, 1, 2]));
    await group.flush();
    for (const [i, r] of (await Promise.all(resets)).entries())
      expect(Array.from(r.obs)).toEqual(Array.from(local[i]!.reset({ seed: 10 + i }).obs));
    // rounds 2-4: env 0 steps, env 1 steps, env 2 resets again in round 3 (calls mixed in a round)
    for (let t = 0; t < 3; t++) {
      const calls = envs.map((e, i) =>
        i === 2 && t === 1 ? e.resetAsync({ seed: 99 }) : e.stepAsync([0.5 - 0.3 * i + 0.1 * t]),
      );
      await group.flush();
      const got = await Promise.all(calls);
      for (const [i, r] of got.entries()) {
        const want =
          i === 2 && t === 1 ? local[2]!.reset({ seed: 99 }) : local[i]!.step([0.5 - 0.3 * i + 0.1 * t]);
        expect(Array.from(r.obs), `env ${i}, round ${t}`).toEqual(Array.from(want.obs));
        if ('reward' in want && 'reward' in r) expect(r.reward).toBe(want.reward);
      }
    }
    // a blocking call alone continues the same episode
    expect(Array.from(envs[1]!.step([0.2]).obs)).toEqual(Array.from(local[1]!.step([0.2]).obs));
    for (const e of local) e.close();
  });

  it('a bad action fails its own caller; the others in the round step', async () => {
    const bad = expect(group.env(0).stepAsync([NaN])).rejects.toThrow(
      /action 0 of env 0 is NaN; every entry must be a finite number/,
    );
    const good = group.env(1).stepAsync([0.1]);
    await group.flush();
    await bad;
    expect((await good).obs).toHaveLength(3);
    const first = group.env(2).stepAsync([0]);
    await expect(group.env(2).stepAsync([0])).rejects.toThrow(/a call is already queued/);
    expect(() => group.env(2).step([0])).toThrow(/a queued call has not run yet/);
    await group.flush();
    await first;
  });

  it('close rejects the calls still queued and resolves', async () => {
    const other = await WorkerEnvGroup.create('Pendulum-v1', { count: 1, numWorkers: 1 });
    const queued = expect(other.env(0).resetAsync({ seed: 1 })).rejects.toThrow(/the group was closed/);
    await expect(other.close()).resolves.toBeUndefined();
    await queued;
    await expect(other.close()).resolves.toBeUndefined();
  });
});
