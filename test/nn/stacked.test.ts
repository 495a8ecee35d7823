/**
 * Stacked (population) networks: member k of StackedMLP.seeded is seed k's MLP bit for
 * bit, at initialization and after Adam steps and Polyak updates; gradients of a stacked
 * MLP pass gradcheck in float64; member state dicts move between stacked and single modules.
 */
import { describe, expect, test } from 'vitest';
import * as sr from '../../src/index.js';
import {
  Adam,
  loadMemberStateDict,
  memberStateDict,
  MLP,
  populationSize,
  StackedLinear,
  StackedMLP,
  type MLPOptions,
} from '../../src/nn/index.js';
import { polyakUpdate } from '../../src/rl/ddpg/polyak.js';
import { Rng } from '../../src/util/rng.js';

const SIZES = [17, 64, 64, 6];
const OPTS: Omit<MLPOptions, 'rng'> = {
  hidden: 'relu',
  output: 'tanh',
  init: 'orthogonal',
  outputInit: 'glorotUniform',
};
const SEEDS = [0, 1, 2];

function bitsOf(t: sr.Tensor): number[] {
  const d = t.dataSync();
  return d instanceof Float32Array
    ? Array.from(new Uint32Array(d.buffer, d.byteOffset, d.length))
    : Array.from(d);
}

function expectMembersEqual(stacked: sr.Module, singles: readonly sr.Module[]): void {
  singles.forEach((single, k) => {
    const member = memberStateDict(stacked, k);
    for (const [name, p] of single.namedParameters())
      expect(bitsOf(member.get(name)!), `${name} of member ${k}`).toEqual(bitsOf(p));
  });
}

/** Seeded observations [S, B, 17], and member k's [B, 17] block. */
function observations(b: number): { all: sr.Tensor; of: (k: number) => sr.Tensor } {
  const data = new Rng(99).fillUniform(new Float32Array(SEEDS.length * b * 17), -2, 2);
  const all = sr.tensor(data, { shape: [SEEDS.length, b, 17] });
  const of = (k: number): sr.Tensor =>
    sr.tensor(data.slice(k * b * 17, (k + 1) * b * 17), { shape: [b, 17] });
  return { all, of };
}

describe('StackedMLP: member k is seed k’s MLP', () => {
  test('initialization, parameter names and shapes', () => {
    const stacked = StackedMLP.seeded(SIZES, OPTS, SEEDS);
    const singles = SEEDS.map((s) => new MLP(SIZES, { ...OPTS, rng: s }));
    expect([...stacked.namedParameters().keys()]).toEqual([...singles[0]!.namedParameters().keys()]);
    expect(stacked.layers.at(0).weight.shape).toEqual([3, 17, 64]);
    expect(stacked.layers.at(2).bias!.shape).toEqual([3, 6]);
    expect(populationSize(stacked)).toBe(3);
    expectMembersEqual(stacked, singles);
    // different seeds, different members
    expect(bitsOf(memberStateDict(stacked, 0).get('layers.0.weight')!)).not.toEqual(
      bitsOf(memberStateDict(stacked, 1).get('layers.0.weight')!),
    );
  });

  test('forward and gradients, slice by slice', () => {
    const stacked = StackedMLP.seeded(SIZES, OPTS, SEEDS);
    const singles = SEEDS.map((s) => new MLP(SIZES, { ...OPTS, rng: s }));
    const obs = observations(64);
    const y = stacked.forward(obs.all);
    y.square().sum().backward();
    singles.forEach((mlp, k) => {
      const yk = mlp.forward(obs.of(k));
      expect(bitsOf(y.slice([k], [k + 1]).reshape(yk.shape))).toEqual(bitsOf(yk));
      yk.square().sum().backward();
      for (const [name, p] of mlp.namedParameters()) {
        const stackedGrad = stacked.namedParameters().get(name)!.grad!;
        expect(
          bitsOf(stackedGrad.slice([k], [k + 1]).reshape(p.shape)),
          `grad ${name} of member ${k}`,
        ).toEqual(bitsOf(p.grad!));
      }
    });
  });

  test('Adam steps and Polyak averaging keep every member equal to its single run', () => {
    const stacked = StackedMLP.seeded(SIZES, OPTS, SEEDS);
    const target = StackedMLP.seeded(SIZES, OPTS, [10, 11, 12]);
    const singles = SEEDS.map((s) => new MLP(SIZES, { ...OPTS, rng: s }));
    const singleTargets = [10, 11, 12].map((s) => new MLP(SIZES, { ...OPTS, rng: s }));
    const opt = new Adam(stacked.namedParameters(), { lr: 1e-3 });
    const opts = singles.map((m) => new Adam(m.namedParameters(), { lr: 1e-3 }));
    const obs = observations(64);
    for (let step = 0; step < 4; step++) {
      opt.zeroGrad();
      // each member's loss is its own; their sum has the members' gradients as its slices
      stacked.forward(obs.all).square().sum().backward();
      opt.step();
      polyakUpdate(target, stacked, 0.01);
      singles.forEach((mlp, k) => {
        opts[k]!.zeroGrad();
        mlp.forward(obs.of(k)).square().sum().backward();
        opts[k]!.step();
        polyakUpdate(singleTargets[k]!, mlp, 0.01);
      });
    }
    expectMembersEqual(stacked, singles);
    expectMembersEqual(target, singleTargets);
    // Adam's slots are stacked too: member k's m is its single optimizer's m
    const m0 = opt.stateDict().tensors.get('m.layers.1.weight')!;
    expect(bitsOf(m0.slice([2], [3]).reshape([64, 64]))).toEqual(
      bitsOf(opts[2]!.stateDict().tensors.get('m.layers.1.weight')!),
    );
  });
});

describe('StackedMLP: gradcheck (float64)', () => {
  test('input and every parameter of a 2-member [3, 4, 2] MLP', () => {
    const stacked = StackedMLP.seeded(
      [3, 4, 2],
      { hidden: 'tanh', output: 'sigmoid', dtype: 'float64' },
      [5, 6],
    );
    const acts = [...stacked.layers].map((l) => l.activation);
    const fn = (x: sr.Tensor, ...ps: sr.Tensor[]): sr.Tensor =>
      acts.reduce((h, act, i) => sr.stackedLinear(h, ps[2 * i]!, ps[2 * i + 1]!, act), x);
    const x = sr.rng(7).uniform([2, 5, 3], -1, 1, { dtype: 'float64' });
    // non-zero biases so their gradients are checked away from a special point
    const params = stacked
      .parameters()
      .map((p, i) => (i % 2 ? sr.rng(i).uniform(p.shape, -0.5, 0.5, { dtype: 'float64' }) : p.detach()));
    const r = sr.gradcheck(fn, [x, ...params], { raise: false });
    expect(r.ok, JSON.stringify(r.worst)).toBe(true);
    expect(r.checked).toBe(30 + 2 * (12 + 4 + 8 + 2));
  });
});

describe('member state dicts', () => {
  test('load a single MLP into one member; the others are untouched', () => {
    const stacked = StackedMLP.seeded([3, 4, 2], {}, [0, 1, 2]);
    const before = [0, 2].map((k) => memberStateDict(stacked, k));
    const donor = new MLP([3, 4, 2], { rng: 42 });
    const param = stacked.layers.at(0).weight;
    loadMemberStateDict(stacked, 1, donor.stateDict());
    expect(stacked.layers.at(0).weight).toBe(param); // in place
    expectMembersEqual(stacked, [new MLP([3, 4, 2], { rng: 0 }), donor, new MLP([3, 4, 2], { rng: 2 })]);
    [0, 2].forEach((k, i) => {
      for (const [name, t] of memberStateDict(stacked, k))
        expect(bitsOf(t)).toEqual(bitsOf(before[i]!.get(name)!));
    });
    // and a member's dict loads into a single MLP
    const back = new MLP([3, 4, 2], { rng: 9 });
    back.loadStateDict(memberStateDict(stacked, 1));
    for (const [name, p] of back.namedParameters())
      expect(bitsOf(p)).toEqual(bitsOf(donor.namedParameters().get(name)!));
  });

  test('errors name the member, the key and the shapes', () => {
    const stacked = StackedMLP.seeded([3, 4, 2], {}, [0, 1]);
    expect(() => memberStateDict(stacked, 2)).toThrow(/member 2 is out of range for a population of 2/);
    const wrong = new MLP([3, 5, 2], { rng: 0 });
    expect(() => loadMemberStateDict(stacked, 0, wrong.stateDict())).toThrow(
      /member 0: 'layers.0.weight' is float32 \[3, 5\]; the population's float32 \[2, 3, 4\] needs float32 \[3, 4\]/,
    );
    const missing = new Map(new MLP([3, 4, 2]).stateDict());
    missing.delete('layers.1.bias');
    expect(() => loadMemberStateDict(stacked, 0, missing)).toThrow(/member 0: missing keys: layers.1.bias/);
    expect(() => new StackedMLP([new MLP([3, 4, 2]), new MLP([3, 4, 4, 2])])).toThrow(
      /member 1 has sizes \[3, 4, 4, 2\], member 0 \[3, 4, 2\]/,
    );
    const a = new MLP([3, 2], { output: 'tanh' }).layers.at(0);
    const b = new MLP([3, 2], { output: 'relu' }).layers.at(0);
    expect(() => new StackedLinear([a, b])).toThrow(
      /member 1 has activation 'relu' with bias, member 0 'tanh' with bias/,
    );
  });
});
