// Our MJCF models must compile to the same physics as Gymnasium's reference models.
import { afterAll, describe, expect, test } from 'vitest';
import { EXPECTED_MUJOCO_VERSION, type Env, makeEnv, mujocoVersion } from '../../src/envs/index.js';
import { REFERENCE_MODELS, type ReferenceModel } from './fixtures/reference-models.js';
import { mujocoOf } from './helpers.js';

const CASES: [string, string][] = [
  ['Swimmer-v5', 'swimmer'],
  ['HalfCheetah-v5', 'halfCheetah'],
  ['Hopper-v5', 'hopper'],
  ['Walker2d-v2', 'walker2dV2'],
  ['Walker2d-v5', 'walker2dV5'],
  ['Ant-v5', 'ant'],
  ['InvertedPendulum-v5', 'invertedPendulum'],
];

const envs: Env[] = [];
afterAll(() => envs.forEach((e) => e.close()));

function expectClose(actual: ArrayLike<number>, expected: number[], what: string): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(actual[i]!, `${what}[${i}]`).toBeCloseTo(expected[i]!, 9);
  }
}

test('MuJoCo build is the one the numbers were taken with', async () => {
  await makeEnv('Pendulum-v1');
  const env = await makeEnv('Hopper-v5');
  envs.push(env);
  expect(mujocoVersion()).toBe(EXPECTED_MUJOCO_VERSION);
});

describe.each(CASES)('%s model', (id, key) => {
  const ref: ReferenceModel = REFERENCE_MODELS[key]!;

  test('sizes, total mass, timestep and integrator', async () => {
    const env = await makeEnv(id);
    envs.push(env);
    const m = mujocoOf(env).model;
    expect([m.nq, m.nv, m.nu, m.nbody]).toEqual([ref.nq, ref.nv, ref.nu, ref.nbody]);
    const mass = (m.body_mass as Float64Array).reduce((a, b) => a + b, 0);
    expect(mass).toBeCloseTo(ref.totalMass, 9);
    expect(m.opt.timestep).toBe(ref.timestep);
    expect(m.opt.integrator).toBe(ref.integrator);
    expectClose(m.qpos0 as Float64Array, ref.qpos0, 'qpos0');
  });

  test('joint ranges, gears, damping, stiffness, armature, masses, inertias, friction', async () => {
    const env = await makeEnv(id);
    envs.push(env);
    const m = mujocoOf(env).model;
    expectClose(m.jnt_range as Float64Array, ref.jntRange.flat(), 'jnt_range');
    const gear = Array.from({ length: m.nu }, (_, i) => (m.actuator_gear as Float64Array)[6 * i]!);
    expectClose(gear, ref.gear, 'actuator_gear');
    expectClose(m.dof_damping as Float64Array, ref.dofDamping, 'dof_damping');
    expectClose(m.jnt_stiffness as Float64Array, ref.jntStiffness, 'jnt_stiffness');
    expectClose(m.dof_armature as Float64Array, ref.dofArmature, 'dof_armature');
    expectClose(m.body_mass as Float64Array, ref.bodyMass, 'body_mass');
    expectClose(m.body_inertia as Float64Array, ref.bodyInertia, 'body_inertia');
    const friction = Array.from({ length: m.ngeom }, (_, g) => (m.geom_friction as Float64Array)[3 * g]!);
    expectClose(friction, ref.geomFriction, 'geom_friction');
    // action bounds come from the model's ctrlrange
    expect(Array.from(env.actionSpace.high)).toEqual(
      new Array(ref.nu).fill(id.startsWith('Inverted') ? 3 : 1),
    );
  });
});

test('v2 and v5 share one compiled model where the physics is the same', async () => {
  const a = await makeEnv('Hopper-v2');
  const b = await makeEnv('Hopper-v5');
  const c = await makeEnv('Walker2d-v2');
  const d = await makeEnv('Walker2d-v5');
  envs.push(a, b, c, d);
  expect(mujocoOf(a).model).toBe(mujocoOf(b).model);
  expect(mujocoOf(c).model).not.toBe(mujocoOf(d).model);
});
