// No leak: many resets, steps and env create/close cycles leave the WASM heap where it was.
import { expect, test } from 'vitest';
import { Rng } from '../../src/util/rng.js';
import { makeEnv, makeEnvSync, liveModelCount } from '../../src/envs/index.js';
import { mujocoOf } from './helpers.js';

test('10 000 resets and 100 000 steps keep the WASM heap size flat and reuse the obs buffer', async () => {
  const env = await makeEnv('HalfCheetah-v5');
  const m = mujocoOf(env);
  const rng = new Rng(1);
  const a = new Float64Array(6);
  // warm-up, then measure
  env.reset({ seed: 0 });
  for (let i = 0; i < 100; i++) env.step(rng.fillUniform(a, -1, 1));
  const before = m.heapBytes();
  const obsBuffer = env.reset({ seed: 1 }).obs;
  for (let i = 0; i < 10_000; i++) expect(env.reset().obs).toBe(obsBuffer);
  let steps = 0;
  while (steps < 100_000) {
    const r = env.step(rng.fillUniform(a, -1, 1));
    steps++;
    if (r.obs !== obsBuffer) throw new Error('step allocated a new observation');
    if (r.truncated) env.reset();
  }
  expect(m.heapBytes()).toBe(before);
  env.close();
});

test('creating and closing 300 environments frees their MjData and MjModel', async () => {
  const keep = await makeEnv('Hopper-v5'); // keeps the module busy with one live model
  const models = liveModelCount();
  // warm-up cycle: compiling a model needs scratch memory the first time, and the heap never shrinks
  for (const id of ['Ant-v5', 'Walker2d-v2', 'Hopper-v2']) makeEnvSync(id).close();
  const heap = mujocoOf(keep).heapBytes();
  for (let i = 0; i < 100; i++) {
    for (const id of ['Ant-v5', 'Walker2d-v2', 'Hopper-v2']) {
      const e = makeEnvSync(id);
      e.reset({ seed: i });
      e.step(new Float64Array(e.actionSpace.shape[0]!));
      e.close();
    }
  }
  expect(liveModelCount()).toBe(models); // Ant and Walker models were freed with their last env
  expect(mujocoOf(keep).heapBytes()).toBe(heap);
  keep.close();
  expect(liveModelCount()).toBe(models - 1);
});

test('an env keeps working when the WASM memory grows under it (its cached views are re-taken)', async () => {
  const a = await makeEnv('Hopper-v5');
  const m = mujocoOf(a);
  const actions = Array.from({ length: 10 }, (_, i) => Float64Array.of(Math.sin(i), 0.3, -0.2));
  a.reset({ seed: 1 });
  const seen: number[][] = [];
  for (let i = 0; i < 5; i++) seen.push(Array.from(a.step(actions[i]!).obs));
  const heap = m.heapBytes();
  const others = [];
  while (m.heapBytes() === heap) others.push(makeEnvSync('Ant-v5')); // grow the heap
  for (let i = 5; i < 10; i++) seen.push(Array.from(a.step(actions[i]!).obs));
  others.forEach((e) => e.close());
  const b = await makeEnv('Hopper-v5');
  b.reset({ seed: 1 });
  expect(actions.map((act) => Array.from(b.step(act).obs))).toEqual(seen);
  a.close();
  b.close();
});
