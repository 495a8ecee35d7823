/**
 * The backtracking line search for a population: members that accept at once, after
 * backtracking, or never (restored bit for bit) each end exactly as the single search on
 * their own problem does, with one evaluation of all members per try.
 */
import { describe, expect, it } from 'vitest';
import * as sr from '../../../src/index.js';
import { readFlat, writeFlat } from '../../../src/rl/params.js';
import {
  backtrackingLineSearch,
  backtrackingLineSearchPopulation,
  type MemberParams,
} from '../../../src/rl/trpo/line-search.js';

// loss ½‖θ − c‖², "KL" ‖θ − θ₀‖²: member 0 accepts the full step, member 1 must backtrack
// into the trust region, member 2's step goes uphill and is never accepted
const THETA0 = [
  [0.1, -0.7, 1 / 3],
  [0.5, 0.5, 0.5],
  [1, 2, 3],
];
const C = [
  [0.2, -0.6, 0.3],
  [2, -1, 0],
  [1.5, 2, 3],
];
const STEP = [
  [0.1, 0.1, -0.03],
  [0.5, -0.5, -0.2],
  [-0.5, 0, 0],
];
const opts = { maxKl: 0.05, backtrackRatio: 0.8, maxBacktracks: 10 };

const params = (k: number): sr.Tensor[] => [sr.tensor(THETA0[k]!, { dtype: 'float64' })];
function lossAndKl(k: number, ps: sr.Tensor[]): [number, number] {
  const th = ps[0]!.dataSync();
  let loss = 0;
  let kl = 0;
  th.forEach((x, i) => {
    loss += 0.5 * (x - C[k]![i]!) ** 2;
    kl += (x - THETA0[k]![i]!) ** 2;
  });
  return [loss, kl];
}

describe('backtrackingLineSearchPopulation', () => {
  it('member k ends as the single search on problem k (accept, backtrack, restore)', async () => {
    const pop = [0, 1, 2].map(params);
    const members: MemberParams = {
      count: 3,
      read: (k) => readFlat(pop[k]!),
      write: (k, v) => writeFlat(pop[k]!, v),
    };
    let evaluations = 0;
    const got = await backtrackingLineSearchPopulation(
      members,
      STEP.map((s) => Float64Array.from(s)),
      [0, 1, 2].map((k) => lossAndKl(k, params(k))[0]),
      async () => {
        evaluations++;
        const lk = [0, 1, 2].map((k) => lossAndKl(k, pop[k]!));
        return [lk.map((x) => x[0]), lk.map((x) => x[1])];
      },
      opts,
    );
    for (const k of [0, 1, 2]) {
      const single = params(k);
      const want = await backtrackingLineSearch(
        single,
        Float64Array.from(STEP[k]!),
        lossAndKl(k, params(k))[0],
        async () => lossAndKl(k, single),
        opts,
      );
      expect(got[k], `member ${k}`).toEqual(want);
      expect(Array.from(pop[k]![0]!.dataSync())).toEqual(Array.from(single[0]!.dataSync()));
    }
    expect(got.map((r) => [r.accepted, r.steps])).toEqual([
      [true, 1],
      [true, got[1]!.steps],
      [false, 10],
    ]);
    expect(got[1]!.steps).toBeGreaterThan(1);
    expect(Array.from(pop[2]![0]!.dataSync())).toEqual(THETA0[2]); // restored bit for bit
    expect(evaluations).toBe(10); // one batched evaluation per try
  });
});
