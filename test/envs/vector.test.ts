// Vector envs: batched layout, seeding (env i ← seed + i), auto-reset with finalObs, and
// the worker-thread variant reproducing the single-thread trajectories.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import {
  ClipAction,
  type VectorEnv,
  makeEnv,
  makeSyncVectorEnv,
  makeWorkerVectorEnv,
} from '../../src/envs/node.js';
import { Rng } from '../../src/util/rng.js';

const open: VectorEnv[] = [];
afterAll(async () => {
  for (const v of open) await v.close();
});

/** obs, rewards, flags and final observations of `steps` steps with seeded random actions. */
async function trace(venv: VectorEnv, seed: number, steps: number) {
  const rng = new Rng(99);
  const out: number[][] = [Array.from((await venv.reset(seed)).obs)];
  const actions = new Float64Array(venv.numEnvs * venv.actDim);
  for (let t = 0; t < steps; t++) {
    const r = await venv.step(rng.fillUniform(actions, -1, 1));
    out.push(Array.from(r.obs), Array.from(r.rewards), Array.from(r.terminated), Array.from(r.truncated));
    for (const f of r.finalObs) if (f) out.push(Array.from(f));
    // infos, key order aside (workers rebuild them from a key table)
    for (const info of r.infos)
      out.push(
        Object.keys(info)
          .sort()
          .map((k) => info[k]!),
      );
  }
  return out;
}

test('batched layout and env i seeded with seed + i', async () => {
  const venv = await makeSyncVectorEnv('Hopper-v5', { numEnvs: 3 });
  open.push(venv);
  expect(venv.obsDim).toBe(11);
  expect(venv.actDim).toBe(3);
  const { obs } = await venv.reset(10);
  expect(obs.length).toBe(33);
  for (let i = 0; i < 3; i++) {
    const single = await makeEnv('Hopper-v5');
    expect(Array.from(obs.subarray(11 * i, 11 * (i + 1)))).toEqual(
      Array.from(single.reset({ seed: 10 + i }).obs),
    );
    single.close();
  }
  await expect(venv.step(new Float64Array(8))).rejects.toThrow(
    /actions have length 8, expected 9 \(3 envs × 3\)/,
  );
});

test('auto-reset: a finished env reports finalObs and episode stats, and its row restarts', async () => {
  const venv = await makeSyncVectorEnv('Pendulum-v1', { numEnvs: 2, envOptions: { maxEpisodeSteps: 5 } });
  open.push(venv);
  await venv.reset(0);
  const single = await makeEnv('Pendulum-v1', { maxEpisodeSteps: 5 });
  single.reset({ seed: 0 });
  let r = await venv.step([0.3, 0.3]);
  let last = single.step([0.3]);
  for (let t = 1; t < 5; t++) {
    expect(r.finalObs).toEqual([null, null]);
    r = await venv.step([0.3, 0.3]);
    last = single.step([0.3]);
  }
  expect(Array.from(r.truncated)).toEqual([1, 1]);
  expect(Array.from(r.finalObs[0]!)).toEqual(Array.from(last.obs));
  expect(r.infos[0]!.episodeLength).toBe(5);
  // the row now holds the first observation of the next episode (env 0's stream continues)
  expect(Array.from(r.obs.subarray(0, 3))).toEqual(Array.from(single.reset().obs));
  const next = await venv.step([0, 0]);
  expect(Array.from(next.truncated)).toEqual([0, 0]);
});

test('same seed → same trajectories; worker threads (1 and 2 workers) match the single-thread env', async () => {
  const steps = 60;
  const sync = await makeSyncVectorEnv('Hopper-v5', { numEnvs: 3, envOptions: { maxEpisodeSteps: 25 } });
  open.push(sync);
  const expected = await trace(sync, 5, steps);
  expect(await trace(sync, 5, steps)).toEqual(expected);
  expect(expected.flat().filter((x) => x === 25).length).toBeGreaterThan(0); // some episodes ended (length 25)
  expect(await trace(sync, 6, steps)).not.toEqual(expected);
  for (const numWorkers of [1, 2]) {
    const w = await makeWorkerVectorEnv('Hopper-v5', {
      numEnvs: 3,
      numWorkers,
      envOptions: { maxEpisodeSteps: 25 },
    });
    open.push(w);
    expect(await trace(w, 5, steps)).toEqual(expected);
  }
});

test('worker env: errors surface with a clear message; close is final', async () => {
  await expect(makeWorkerVectorEnv('Nope-v0', { numEnvs: 2 })).rejects.toThrow(
    /unknown environment id 'Nope-v0'/,
  );
  await expect(makeWorkerVectorEnv('Hopper-v5', { numEnvs: 2, numWorkers: 3 })).rejects.toThrow(
    /numWorkers must be an integer in \[1, numEnvs=2\]/,
  );
  const w = await makeWorkerVectorEnv('Pendulum-v1', { numEnvs: 2, numWorkers: 2 });
  await expect(w.step([0, 0])).rejects.toThrow(/step\(\) before reset\(\)/);
  await w.reset(0);
  await expect(w.step([0, NaN])).rejects.toThrow(/action 0 of env 1 is NaN/);
  expect((await w.step([0, 0])).obs.length).toBe(6); // still usable
  await w.close();
  await expect(w.reset(0)).rejects.toThrow(/used after close/);
});

test('sync vector env: per-copy wrappers', async () => {
  const venv = await makeSyncVectorEnv('HalfCheetah-v5', {
    numEnvs: 2,
    wrap: (e, i) => (i === 1 ? new ClipAction(e) : e),
  });
  open.push(venv);
  await venv.reset(0);
  const r = await venv.step(new Float64Array(12).fill(2));
  expect(r.infos[0]!.rewardCtrl).toBeCloseTo(-0.1 * 6 * 4, 12); // raw action
  expect(r.infos[1]!.rewardCtrl).toBeCloseTo(-0.1 * 6, 12); // clipped to 1
});

test('a worker vector env that is never closed does not keep the process alive', () => {
  const script = fileURLToPath(new URL('./fixtures/forgotten-close.ts', import.meta.url));
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000 });
  expect(r.stdout).toContain('stepped');
  expect(r.status).toBe(0);
});
