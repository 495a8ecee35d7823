/**
 * The compiled DDPG-SR-A update on WebGPU (recorded commands: one submit per update, no new
 * bind group after the first replay) equals the eager WebGPU update bit for bit over a few
 * updates: statistics, the four networks, both optimizers' moments and the perturbation
 * stream. Skips loudly without an adapter; fails under REQUIRE_WEBGPU=1.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as sr from '../../../src/index.js';
import type { Tensor } from '../../../src/index.js';
import { ddpgUpdate, type DdpgLearner, type UpdateSettings } from '../../../src/rl/ddpg/update.js';
import { acquireWebGPU, suiteTitle } from '../../kernels/webgpu/acquire.js';
import { countCommands } from '../../kernels/webgpu/count-commands.js';
import { batch, learner, settings } from './update-fixture.js';

const acquired = await acquireWebGPU();
const gpu = acquired.gpu;
afterAll(() => gpu?.destroy());

const bits = async (t: Tensor): Promise<number[]> => Array.from(await t.data());
const state = async (l: DdpgLearner): Promise<number[][]> =>
  Promise.all(
    [
      ...[l.actor, l.critic, l.targetActor, l.targetCritic].flatMap((m) => m.parameters()),
      ...[l.actorOpt, l.criticOpt].flatMap((o) => [...o.stateDict().tensors.values()]),
    ].map(bits),
  );

describe.skipIf(!gpu)(suiteTitle('compiled DDPG-SR-A update on WebGPU', acquired), () => {
  const backend = gpu!;

  it('6 updates equal eager WebGPU bit for bit; after the first replay one submit and no new bind group each', async () => {
    const le = learner(backend);
    const lc = learner(backend);
    const se = settings('ddpg-sr-a');
    const sc = settings('ddpg-sr-a');
    const update = sr.compile((b: ReturnType<typeof batch>) => ddpgUpdate(lc, b, sc));
    const data = sr.rng(5);
    for (let i = 0; i < 6; i++) {
      const b = batch(data, backend);
      const got = await countCommands(backend, () => update(b));
      if (i >= 2) expect([got.submits, got.bindGroups]).toEqual([1, 0]);
      const eager = ddpgUpdate(le, b, se);
      for (const k of Object.keys(eager) as (keyof typeof eager)[])
        expect(await bits(got.value[k]), `update ${i}: ${k}`).toEqual(await bits(eager[k]));
    }
    expect(update.replays).toBe(5);
    expect(await state(lc)).toEqual(await state(le));
    const generatorOf = (s: UpdateSettings) => s.perturbation.generator as sr.Generator;
    expect(generatorOf(sc).getState()).toEqual(generatorOf(se).getState());
  });
});
