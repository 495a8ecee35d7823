/**
 * The compiled DDPG update equals the eager one bit for bit over 100 consecutive updates
 * (float32, SIMD kernels) for DDPG, DDPG-SR-A (PGD inside the actor loss) and DDPG-SR-C,
 * and for DDPG-SR-A with elementwise fusion: statistics, all four networks, both
 * optimizers' moments and the perturbation stream.
 */
import { describe, expect, it } from 'vitest';
import * as sr from '../../../src/index.js';
import type { Tensor } from '../../../src/index.js';
import {
  ddpgUpdate,
  type BatchTensors,
  type DdpgLearner,
  type UpdateSettings,
} from '../../../src/rl/ddpg/update.js';
import { batch, learner, settings } from './update-fixture.js';

const bits = (t: Tensor): number[] => Array.from(t.dataSync());
const state = (l: DdpgLearner): number[][] => [
  ...[l.actor, l.critic, l.targetActor, l.targetCritic].flatMap((m) => m.parameters().map(bits)),
  ...[l.actorOpt, l.criticOpt].flatMap((o) => [...o.stateDict().tensors.values()].map(bits)),
];

describe('compiled DDPG update', () => {
  const cases = [
    ['ddpg', false],
    ['ddpg-sr-a', false],
    ['ddpg-sr-c', false],
    // fused: no tanh outside the linear kernels here, so still bit for bit (fuse.ts)
    ['ddpg-sr-a', true],
  ] as const;
  for (const [algo, fuse] of cases) {
    it(`${algo}${fuse ? ' fused' : ''}: 100 updates equal eager bit for bit`, () => {
      const le = learner();
      const lc = learner();
      const se = settings(algo);
      const sc = settings(algo);
      const update = sr.compile((b: BatchTensors) => ddpgUpdate(lc, b, sc), { fuse });
      const data = sr.rng(5);
      for (let i = 0; i < 100; i++) {
        const b = batch(data);
        const eager = ddpgUpdate(le, b, se);
        const fast = update(b);
        for (const k of Object.keys(eager) as (keyof typeof eager)[]) {
          if (bits(fast[k])[0] !== bits(eager[k])[0]) throw new Error(`update ${i}: ${k} differs`);
        }
      }
      expect(update.traces).toBe(1);
      if (fuse) expect(update.explain()).toMatch(/elementwise ops fused into \d+ loops/);
      expect(update.replays).toBe(99);
      expect(state(lc)).toEqual(state(le));
      const generatorOf = (s: UpdateSettings) => s.perturbation.generator as sr.Generator;
      expect(generatorOf(sc).getState()).toEqual(generatorOf(se).getState());
    });
  }
});
