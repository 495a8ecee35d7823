// Wrong input gives a clear error naming what was wrong; the env stays usable where it can.
import { afterAll, describe, expect, test } from 'vitest';
import { ENV_IDS, type Env, makeEnv } from '../../src/envs/index.js';

const envs: Env[] = [];
afterAll(() => envs.forEach((e) => e.close()));
async function open(id: string, opts = {}): Promise<Env> {
  const env = await makeEnv(id, opts);
  envs.push(env);
  return env;
}

describe.each(['Hopper-v5', 'Ant-v2', 'Pendulum-v1', 'InvertedPendulum-v5'])('%s', (id) => {
  test('wrong action length: RangeError naming both lengths; the env stays usable', async () => {
    const env = await open(id);
    const n = env.actionSpace.shape[0]!;
    const first = Array.from(env.reset({ seed: 1 }).obs);
    expect(() => env.step(new Float64Array(n + 1))).toThrow(
      `${id}: action has length ${n + 1}, expected ${n}`,
    );
    expect(() => env.step([])).toThrow(/action has length 0/);
    // nothing moved: the next step equals a step from a fresh reset
    const after = Array.from(env.step(new Float64Array(n)).obs);
    const env2 = await open(id);
    env2.reset({ seed: 1 });
    expect(after).toEqual(Array.from(env2.step(new Float64Array(n)).obs));
    expect(first.length).toBe(env.observationSpace.shape[0]);
  });

  test('NaN or Infinity in the action: error naming the index', async () => {
    const env = await open(id);
    const n = env.actionSpace.shape[0]!;
    env.reset({ seed: 1 });
    const a = new Float64Array(n);
    a[n - 1] = NaN;
    expect(() => env.step(a)).toThrow(`${id}: action[${n - 1}] is NaN; every entry must be a finite number`);
    a[n - 1] = Infinity;
    expect(() => env.step(a)).toThrow(/is Infinity/);
    expect(() => env.step('xyz' as unknown as number[])).toThrow(/action/);
    expect(() => env.step(new Float64Array(n))).not.toThrow();
  });

  test('step before reset, after close, reset after close', async () => {
    const env = await makeEnv(id);
    const n = env.actionSpace.shape[0]!;
    expect(() => env.step(new Float64Array(n))).toThrow(`${id}: step() before reset(); call reset() first`);
    env.reset({ seed: 0 });
    env.close();
    expect(env.closed).toBe(true);
    expect(() => env.step(new Float64Array(n))).toThrow(`${id}: step() on a closed environment`);
    expect(() => env.reset()).toThrow(`${id}: reset() on a closed environment`);
    expect(() => env.close()).not.toThrow(); // idempotent
  });
});

test('stepping a terminated episode throws until reset', async () => {
  const env = await open('Hopper-v5');
  env.reset({ seed: 0 });
  let r = env.step([0.8, 0.8, 0.8]);
  while (!r.terminated) r = env.step([0.8, 0.8, 0.8]);
  expect(() => env.step([0, 0, 0])).toThrow(
    'Hopper-v5: step() after the episode terminated; call reset() first',
  );
  env.reset();
  expect(env.step([0, 0, 0]).terminated).toBe(false);
});

test('stepping a truncated episode throws until reset', async () => {
  const env = await open('Pendulum-v1', { maxEpisodeSteps: 3 });
  env.reset({ seed: 0 });
  env.step([0]);
  env.step([0]);
  expect(env.step([0]).truncated).toBe(true);
  expect(() => env.step([0])).toThrow(
    'Pendulum-v1: step() after the episode was truncated at 3 steps; call reset() first',
  );
  env.reset();
  expect(env.step([0]).truncated).toBe(false);
});

test('unknown env id: the error lists every valid id', async () => {
  const err = (await makeEnv('Hoper-v5').catch((e: unknown) => e)) as Error;
  expect(err).toBeInstanceOf(Error);
  expect(err.message).toContain("unknown environment id 'Hoper-v5'");
  for (const id of ENV_IDS) expect(err.message).toContain(id);
  await expect(makeEnv('toString')).rejects.toThrow(/unknown environment id/);
});

test('unknown option or bad value: named in the error', async () => {
  await expect(makeEnv('Hopper-v5', { ctrlCost: 1 } as never)).rejects.toThrow(
    /makeEnv\(Hopper-v5\): unknown option 'ctrlCost'; allowed: maxEpisodeSteps, frameSkip/,
  );
  await expect(makeEnv('Hopper-v5', { frameSkip: 0 })).rejects.toThrow(
    /frameSkip must be a positive integer, got 0/,
  );
  await expect(makeEnv('Hopper-v5', { maxEpisodeSteps: 1.5 })).rejects.toThrow(
    /maxEpisodeSteps must be a positive integer/,
  );
});
