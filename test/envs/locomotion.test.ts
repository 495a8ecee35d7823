// Gymnasium semantics of the locomotion tasks: spaces, seeding, reward terms, termination.
import { afterAll, describe, expect, test } from 'vitest';
import { type Env, boxContains, makeEnv } from '../../src/envs/index.js';
import { LOCOMOTION_IDS, actionSequence, locomotionOf, mujocoOf, rollout } from './helpers.js';

const envs: Env[] = [];
afterAll(() => envs.forEach((e) => e.close()));
async function open(id: string, opts = {}): Promise<Env> {
  const env = await makeEnv(id, opts);
  envs.push(env);
  return env;
}

// [obs dim, action dim, dt] from Gymnasium's docs (rl-anchors §1.2)
const DIMS: Record<string, [number, number, number]> = {
  'Swimmer-v2': [8, 2, 0.04],
  'Swimmer-v5': [8, 2, 0.04],
  'HalfCheetah-v2': [17, 6, 0.05],
  'HalfCheetah-v5': [17, 6, 0.05],
  'Hopper-v2': [11, 3, 0.008],
  'Hopper-v5': [11, 3, 0.008],
  'Walker2d-v2': [17, 6, 0.008],
  'Walker2d-v5': [17, 6, 0.008],
  'Ant-v2': [111, 8, 0.05],
  'Ant-v5': [105, 8, 0.05],
};

describe.each(LOCOMOTION_IDS)('%s', (id) => {
  test('observation/action dimensions and spaces', async () => {
    const env = await open(id);
    const [obsDim, actDim, dt] = DIMS[id]!;
    expect(env.observationSpace.shape).toEqual([obsDim]);
    expect(env.actionSpace.shape).toEqual([actDim]);
    expect(Array.from(env.actionSpace.low)).toEqual(new Array(actDim).fill(-1));
    expect(Array.from(env.actionSpace.high)).toEqual(new Array(actDim).fill(1));
    expect(env.observationSpace.low[0]).toBe(-Infinity);
    expect(env.dt).toBeCloseTo(dt, 12);
    const { obs } = env.reset({ seed: 0 });
    expect(obs).toBeInstanceOf(Float64Array);
    expect(obs.length).toBe(obsDim);
    expect(boxContains(env.observationSpace, obs)).toBe(true);
  });

  test('same seed → same reset and 100-step trajectory; other seed differs', async () => {
    const env = await open(id);
    const actions = actionSequence(100, env.actionSpace.shape[0]!);
    const a = rollout(env, 7, actions);
    const b = rollout(env, 7, actions);
    const c = rollout(env, 8, actions);
    expect(b.obs).toEqual(a.obs);
    expect(b.rewards).toEqual(a.rewards);
    expect(c.obs[0]).not.toEqual(a.obs[0]);
    // a second environment instance gives the same numbers too
    const other = await open(id);
    expect(rollout(other, 7, actions).obs).toEqual(a.obs);
  });

  test('reward = sum of info terms; forward term = Δx/dt from positions read independently', async () => {
    const env = await open(id);
    const m = mujocoOf(env);
    const spec = locomotionOf(env).spec;
    const actions = actionSequence(30, env.actionSpace.shape[0]!, 5);
    env.reset({ seed: 3 });
    for (const a of actions) {
      // Ant measures progress at the torso body; the planar robots at qpos[0] (and [1])
      const before = spec.progress === 'torso-xpos' ? m.getBodyPosition(1) : m.getQpos();
      const r = env.step(a);
      const after = spec.progress === 'torso-xpos' ? m.getBodyPosition(1) : m.getQpos();
      const terms = Object.entries(r.info).filter(([k]) => k.startsWith('reward'));
      expect(terms.length).toBeGreaterThanOrEqual(2);
      expect(r.reward).toBeCloseTo(
        terms.reduce((s, [, v]) => s + v, 0),
        10,
      );
      expect(r.info.rewardForward).toBeCloseTo((after[0]! - before[0]!) / env.dt, 9);
      expect(r.info.rewardCtrl).toBeCloseTo(-spec.ctrlCostWeight * a.reduce((s, x) => s + x * x, 0), 12);
      expect(r.info.xPosition).toBe(m.getQpos()[0]);
      if (r.terminated) break;
    }
  });

  test('ctrl cost is paid on the raw action, beyond the ctrl range', async () => {
    const env = await open(id);
    env.reset({ seed: 0 });
    const a = new Float64Array(env.actionSpace.shape[0]!).fill(3);
    const r = env.step(a);
    expect(r.info.rewardCtrl).toBeCloseTo(-locomotionOf(env).spec.ctrlCostWeight * 9 * a.length, 12);
  });
});

describe('observation layout', () => {
  test('Hopper: qpos[1:] then qvel clipped to ±10', async () => {
    const env = await open('Hopper-v5');
    const m = mujocoOf(env);
    env.reset({ seed: 1 });
    m.setState([0, 1.25, 0.01, -0.1, -0.2, 0.1], [1, 2, 30, -40, 5, 0.5]);
    const { obs } = env.step([0, 0, 0]);
    const q = m.getQpos();
    const v = m.getQvel();
    expect(Array.from(obs.subarray(0, 5))).toEqual(Array.from(q.subarray(1)));
    expect(Array.from(obs.subarray(5))).toEqual(Array.from(v).map((x) => Math.max(-10, Math.min(10, x))));
    expect(obs[7]).toBe(10);
    expect(obs[8]).toBe(-10);
  });

  test('Swimmer drops x and y; HalfCheetah drops x', async () => {
    const sw = await open('Swimmer-v5');
    const { obs } = sw.reset({ seed: 2 });
    const q = mujocoOf(sw).getQpos();
    expect(Array.from(obs.subarray(0, 3))).toEqual(Array.from(q.subarray(2)));
    const hc = await open('HalfCheetah-v5');
    const o2 = hc.reset({ seed: 2 }).obs;
    expect(Array.from(o2.subarray(0, 8))).toEqual(Array.from(mujocoOf(hc).getQpos().subarray(1)));
    expect(Array.from(o2.subarray(8))).toEqual(Array.from(mujocoOf(hc).getQvel()));
  });

  test('Ant: v2 has 14 × 6 contact entries (world first, zero), v5 13 × 6; both clipped to ±1', async () => {
    const v2 = await open('Ant-v2');
    const v5 = await open('Ant-v5');
    const actions = actionSequence(40, 8, 9);
    const a = rollout(v2, 4, actions);
    const b = rollout(v5, 4, actions);
    const last2 = a.obs.at(-1)!;
    const last5 = b.obs.at(-1)!;
    // same physics, same state part
    expect(last2.slice(0, 27)).toEqual(last5.slice(0, 27));
    expect(last2.slice(27, 33)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(last2.slice(33)).toEqual(last5.slice(27));
    const contact = last5.slice(27);
    expect(contact.some((x) => x !== 0)).toBe(true); // the legs touch the floor by now
    expect(contact.every((x) => Math.abs(x) <= 1)).toBe(true);
  });

  test("Ant contactForces: 'zero' reproduces mujoco-py 2.0's zero cfrc_ext", async () => {
    const env = await open('Ant-v2', { contactForces: 'zero' });
    const { obs, rewards } = rollout(env, 4, actionSequence(40, 8, 9));
    expect(
      obs
        .at(-1)!
        .slice(27)
        .every((x) => x === 0),
    ).toBe(true);
    expect(rewards.length).toBe(40);
    env.reset({ seed: 4 });
    expect(env.step(new Float64Array(8)).info.rewardContact).toBe(0);
  });

  test('Ant contact cost is 5e-4 × Σ clipped cfrc_ext² over the observed bodies', async () => {
    const env = await open('Ant-v5');
    env.reset({ seed: 4 });
    let r = env.step(new Float64Array(8));
    for (let i = 0; i < 30; i++) r = env.step(new Float64Array(8).fill(0.5));
    const contact = r.obs.subarray(27);
    const expected = -5e-4 * contact.reduce((s, x) => s + x * x, 0);
    expect(expected).toBeLessThan(0);
    expect(r.info.rewardContact).toBeCloseTo(expected, 14);
  });
});

describe('termination', () => {
  test('Swimmer and HalfCheetah never terminate; they truncate at exactly 1000 steps', async () => {
    for (const id of ['Swimmer-v5', 'HalfCheetah-v5', 'HalfCheetah-v2']) {
      const env = await open(id);
      const actions = actionSequence(1000, env.actionSpace.shape[0]!, 11);
      env.reset({ seed: 0 });
      let steps = 0;
      let last = env.step(actions[0]!);
      steps++;
      while (!last.terminated && !last.truncated) {
        last = env.step(actions[steps]!);
        steps++;
      }
      expect(steps).toBe(1000);
      expect(last.terminated).toBe(false);
      expect(last.truncated).toBe(true);
    }
  });

  test.each(['Hopper-v2', 'Hopper-v5', 'Walker2d-v2', 'Walker2d-v5'])(
    '%s: a constant push makes it fall; it terminates on the first unhealthy state',
    async (id) => {
      const env = await open(id);
      const m = mujocoOf(env);
      const rule = locomotionOf(env).spec.isHealthy!;
      env.reset({ seed: 0 });
      const push = new Float64Array(env.actionSpace.shape[0]!).fill(0.8);
      let r = env.step(push);
      let steps = 1;
      while (!r.terminated && !r.truncated) {
        expect(rule(m.getQpos(), m.getQvel())).toBe(true);
        r = env.step(push);
        steps++;
      }
      expect(r.terminated).toBe(true);
      expect(steps).toBeLessThan(1000);
      expect(rule(m.getQpos(), m.getQvel())).toBe(false);
      // v2 pays the alive bonus on the terminating step, v5 does not
      expect(r.info.rewardSurvive).toBe(id.endsWith('v2') ? 1 : 0);
    },
  );

  test('Hopper health rule: height > 0.7, |angle| < 0.2, |state[2:]| < 100 (strict)', async () => {
    const env = await open('Hopper-v5');
    const m = mujocoOf(env);
    const cases: [number[], number[], boolean][] = [
      [[0, 1.25, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], true],
      [[0, 0.6, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], false], // too low
      [[0, 1.25, 0.3, 0, 0, 0], [0, 0, 0, 0, 0, 0], false], // tilted
      [[0, 1.25, 0, 0, 0, 0], [0, 0, 0, 500, 0, 0], false], // joint speed far beyond 100
    ];
    for (const [q, v, healthy] of cases) {
      env.reset({ seed: 0 });
      m.setState(q, v);
      const r = env.step([0, 0, 0]);
      expect(r.terminated, JSON.stringify([q, v])).toBe(!healthy);
    }
    const rule = locomotionOf(env).spec.isHealthy!;
    expect(rule(Float64Array.of(0, 0.7, 0, 0, 0, 0), new Float64Array(6))).toBe(false);
    expect(rule(Float64Array.of(0, 1, 0.2, 0, 0, 0), new Float64Array(6))).toBe(false);
    expect(rule(Float64Array.of(0, 1, 0, 0, 0, 0), Float64Array.of(0, 0, 100, 0, 0, 0))).toBe(false);
    expect(rule(Float64Array.of(0, 1, 0, 0, 0, 0), Float64Array.of(0, 0, 99.9, 0, 0, 0))).toBe(true);
  });

  test('Walker2d health rule: 0.8 < height < 2, −1 < angle < 1', async () => {
    const env = await open('Walker2d-v5');
    const m = mujocoOf(env);
    for (const [z, angle, healthy] of [
      [1.25, 0, true],
      [0.7, 0, false],
      [2.5, 0, false],
      [1.25, 1.3, false],
    ] as const) {
      env.reset({ seed: 0 });
      m.setState([0, z, angle, 0, 0, 0, 0, 0, 0], new Float64Array(9));
      expect(env.step(new Float64Array(6)).terminated, `z=${z} angle=${angle}`).toBe(!healthy);
    }
  });

  test('Ant health rule: 0.2 ≤ torso z ≤ 1 (inclusive) and a finite state', async () => {
    for (const id of ['Ant-v2', 'Ant-v5']) {
      const env = await open(id);
      const m = mujocoOf(env);
      env.reset({ seed: 0 });
      const q = m.getQpos();
      q[2] = 1.6; // thrown up: unhealthy after one step
      m.setState(q, m.getQvel());
      const r = env.step(new Float64Array(8));
      expect(r.terminated).toBe(true);
      expect(r.info.rewardSurvive).toBe(id === 'Ant-v2' ? 1 : 0);
      const rule = locomotionOf(env).spec.isHealthy!;
      const base = Float64Array.from(q);
      for (const [z, ok] of [
        [0.2, true],
        [1.0, true],
        [0.19, false],
        [1.01, false],
      ] as const) {
        base[2] = z;
        expect(rule(base, new Float64Array(14)), `z=${z}`).toBe(ok);
      }
      base[2] = 0.5;
      expect(rule(base, new Float64Array(14).fill(NaN))).toBe(false);
    }
  });

  test('terminateWhenUnhealthy: false keeps going (and v5 stops paying the bonus)', async () => {
    const env = await open('Hopper-v5', { terminateWhenUnhealthy: false, maxEpisodeSteps: 300 });
    env.reset({ seed: 0 });
    let sawUnhealthy = false;
    let r = env.step([0.8, 0.8, 0.8]);
    while (!r.truncated) {
      expect(r.terminated).toBe(false);
      if (r.info.rewardSurvive === 0) sawUnhealthy = true;
      r = env.step([0.8, 0.8, 0.8]);
    }
    expect(sawUnhealthy).toBe(true);
  });
});

describe('options', () => {
  test('ctrlCostWeight, resetNoiseScale and frameSkip override the defaults', async () => {
    const env = await open('HalfCheetah-v5', { ctrlCostWeight: 0.5, resetNoiseScale: 0, frameSkip: 2 });
    expect(env.dt).toBeCloseTo(0.02, 12);
    const { obs } = env.reset({ seed: 5 });
    expect(Array.from(obs).every((x) => x === 0)).toBe(true); // no noise
    expect(env.step([1, 0, 0, 0, 0, 0]).info.rewardCtrl).toBeCloseTo(-0.5, 12);
  });

  test('reset noise has the documented scale', async () => {
    const hop = await open('Hopper-v5');
    const q0 = [0, 1.25, 0, 0, 0, 0];
    let maxDev = 0;
    for (let s = 0; s < 20; s++) {
      hop.reset({ seed: s });
      const q = mujocoOf(hop).getQpos();
      for (let i = 0; i < 6; i++) maxDev = Math.max(maxDev, Math.abs(q[i]! - q0[i]!));
    }
    expect(maxDev).toBeLessThanOrEqual(0.005);
    expect(maxDev).toBeGreaterThan(0.004);
    // HalfCheetah: qvel ~ 0.1·N(0,1): sample std near 0.1
    const hc = await open('HalfCheetah-v5');
    const vs: number[] = [];
    for (let s = 0; s < 60; s++) {
      hc.reset({ seed: s });
      vs.push(...mujocoOf(hc).getQvel());
    }
    const std = Math.sqrt(vs.reduce((a, x) => a + x * x, 0) / vs.length);
    expect(std).toBeGreaterThan(0.085);
    expect(std).toBeLessThan(0.115);
  });
});

test('Ant reset observation: contact block zero (cfrc_ext as mj_resetData leaves it, as in Gymnasium)', async () => {
  const env = await open('Ant-v5');
  const { obs } = env.reset({ seed: 3 });
  expect(Array.from(obs.subarray(27)).every((x) => x === 0)).toBe(true);
  expect(Array.from(obs.subarray(0, 27)).some((x) => x !== 0)).toBe(true);
  let r = env.step(new Float64Array(8).fill(0.5));
  for (let i = 0; i < 50; i++) r = env.step(new Float64Array(8).fill(0.5));
  expect(Array.from(r.obs.subarray(27)).some((x) => x !== 0)).toBe(true);
  expect(Array.from(env.reset().obs.subarray(27)).every((x) => x === 0)).toBe(true);
});
