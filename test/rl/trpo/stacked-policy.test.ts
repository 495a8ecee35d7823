/**
 * StackedGaussianMlpPolicy: member k is seed k's GaussianMlpPolicy (the policy TrpoTrainer
 * builds from seed k's 'policy-init' stream) bit for bit: initial weights, logStd, μ(s);
 * member k's state dict loads into a single policy; gradients pass a float64 gradcheck.
 */
import { describe, expect, test } from 'vitest';
import * as sr from '../../../src/index.js';
import { memberStateDict } from '../../../src/nn/index.js';
import { GaussianMlpPolicy } from '../../../src/rl/trpo/gaussian-policy.js';
import { StackedGaussianMlpPolicy } from '../../../src/rl/trpo/stacked-gaussian-policy.js';
import { Rng } from '../../../src/util/rng.js';

const SEEDS = [0, 1, 2];
const OPTS = { obsDim: 4, actDim: 2, hidden: [8, 8], initStd: 0.7 };
const initStream = (seed: number): Rng => new Rng(seed).fork('policy-init');

function bitsOf(t: sr.Tensor): number[] {
  const d = t.dataSync();
  return d instanceof Float32Array
    ? Array.from(new Uint32Array(d.buffer, d.byteOffset, d.length))
    : Array.from(d);
}

describe('StackedGaussianMlpPolicy', () => {
  test('member k is seed k’s GaussianMlpPolicy: parameters and μ(s), bit for bit', () => {
    const stacked = StackedGaussianMlpPolicy.seeded(OPTS, SEEDS.map(initStream));
    const singles = SEEDS.map((s) => new GaussianMlpPolicy({ ...OPTS, rng: initStream(s) }));
    expect(stacked.logStd.shape).toEqual([3, 2]);
    expect([...stacked.namedParameters().keys()]).toEqual([...singles[0]!.namedParameters().keys()]);
    const b = 5;
    const data = new Rng(7).fillUniform(new Float32Array(SEEDS.length * b * 4), -2, 2);
    const mu = stacked.mean(sr.tensor(data, { shape: [3, b, 4] }));
    singles.forEach((single, k) => {
      const member = memberStateDict(stacked, k);
      const own = single.namedParameters();
      for (const name of single.paramNames())
        expect(bitsOf(member.get(name)!), `${name} of member ${k}`).toEqual(bitsOf(own.get(name)!));
      const muK = single.mean(sr.tensor(data.slice(k * b * 4, (k + 1) * b * 4), { shape: [b, 4] }));
      expect(bitsOf(mu.slice([k], [k + 1]).reshape([b, 2]))).toEqual(bitsOf(muK));
    });
    // seeds differ, so members differ
    expect(bitsOf(memberStateDict(stacked, 0).get('mean.layers.0.weight')!)).not.toEqual(
      bitsOf(memberStateDict(stacked, 1).get('mean.layers.0.weight')!),
    );
  });

  test('member k’s state dict loads into a single policy, which then acts as the member', () => {
    const stacked = StackedGaussianMlpPolicy.seeded(OPTS, SEEDS.map(initStream));
    const single = new GaussianMlpPolicy({ ...OPTS, rng: initStream(9) });
    single.loadStateDict(memberStateDict(stacked, 2));
    const x = new Rng(3).fillUniform(new Float32Array(4), -1, 1);
    const all = new Float32Array(12);
    all.set(x, 8);
    const mu = stacked.mean(sr.tensor(all, { shape: [3, 1, 4] }));
    expect(bitsOf(mu.slice([2], [3]).reshape([1, 2]))).toEqual(
      bitsOf(single.mean(sr.tensor(x, { shape: [1, 4] }))),
    );
    expect(bitsOf(single.logStd)).toEqual(bitsOf(stacked.logStd.slice([2], [3]).reshape([2])));
  });

  test('gradients of a per-member Gaussian log-likelihood pass gradcheck (float64)', () => {
    const stacked = StackedGaussianMlpPolicy.seeded({ ...OPTS, dtype: 'float64' }, SEEDS.map(initStream));
    const obs = sr.tensor(new Rng(5).fillUniform(new Float64Array(3 * 4 * 4), -1, 1), {
      shape: [3, 4, 4],
      dtype: 'float64',
    });
    const act = sr.tensor(new Rng(6).fillUniform(new Float64Array(3 * 4 * 2), -1, 1), {
      shape: [3, 4, 2],
      dtype: 'float64',
    });
    const params = stacked.paramList();
    const fn = (...ps: sr.Tensor[]): sr.Tensor => {
      const z = act.sub(stacked.mean(obs, ps)).mul(stacked.logStdOf(ps).neg().exp());
      return z.square().sum().add(stacked.logStdOf(ps).sum());
    };
    const r = sr.gradcheck(fn, params, { raise: false });
    expect(r.ok, JSON.stringify(r).slice(0, 400)).toBe(true);
  });

  test('restackFrom takes the members’ new values in place; meanAtRows is each member’s μ(s)', async () => {
    const stacked = StackedGaussianMlpPolicy.seeded(OPTS, SEEDS.map(initStream));
    const tensors = stacked.paramList();
    // other members: seeds 10, 11, 12
    const singles = SEEDS.map((s) => new GaussianMlpPolicy({ ...OPTS, rng: initStream(s + 10) }));
    stacked.restackFrom(singles);
    expect(stacked.paramList()).toEqual(tensors); // the same tensor objects
    const obs = new Rng(8).fillUniform(new Float64Array(SEEDS.length * 4), -2, 2);
    const rows = await stacked.meanAtRows(obs);
    for (const [k, single] of singles.entries()) {
      for (const [name, p] of memberStateDict(stacked, k))
        expect(bitsOf(p), `${name} of member ${k}`).toEqual(bitsOf(single.namedParameters().get(name)!));
      const own = new Float64Array(2);
      await single.meanAt(obs.subarray(k * 4, (k + 1) * 4), own);
      expect(Array.from(rows.subarray(k * 2, (k + 1) * 2))).toEqual(Array.from(own));
    }
    expect(() => stacked.restackFrom(singles.slice(1))).toThrow(/needs 3 member policies, got 2/);
    const wider = SEEDS.map((s) => new GaussianMlpPolicy({ ...OPTS, hidden: [8, 9], rng: initStream(s) }));
    expect(() => stacked.restackFrom(wider)).toThrow(
      /parameter 2 stacks to \[3, 8, 9\], the population's is \[3, 8, 8\]/,
    );
  });
});
