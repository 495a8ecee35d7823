/**
 * DDPG's building blocks: the replay buffer (wrap-around, sizes, uniform sampling),
 * OU / Gaussian noise against their closed-form moments, the exact Polyak update,
 * and the config's checks.
 */
import { describe, expect, it } from 'vitest';
import * as sr from '../../../src/index.js';
import { Critic, DeterministicActor } from '../../../src/rl/ddpg/networks.js';
import { DDPG_DEFAULTS, resolveDdpgConfig } from '../../../src/rl/ddpg/config.js';
import { ExplorationNoise } from '../../../src/rl/ddpg/noise.js';
import { hardUpdate, polyakUpdate } from '../../../src/rl/ddpg/polyak.js';
import { ReplayBuffer } from '../../../src/rl/ddpg/replay-buffer.js';
import { Rng } from '../../../src/util/rng.js';

describe('ReplayBuffer', () => {
  const add = (b: ReplayBuffer, k: number): void =>
    b.add([k, -k], [k / 10], k * 100, [k + 1, -k - 1], k % 2 === 0);

  it('stores transitions and overwrites the oldest after wrap-around', () => {
    const b = new ReplayBuffer({ capacity: 5, obsDim: 2, actDim: 1, dtype: 'float64' });
    for (let k = 0; k < 3; k++) add(b, k);
    expect(b.size).toBe(3);
    expect(b.getState()).toMatchObject({ position: 3, size: 3, added: 3 });
    for (let k = 3; k < 7; k++) add(b, k);
    expect(b.size).toBe(5);
    expect(b.totalAdded).toBe(7);
    expect(b.getState().position).toBe(2);
    // rows 0 and 1 now hold transitions 5 and 6; rows 2..4 still hold 2..4
    expect([0, 1, 2, 3, 4].map((i) => b.row(i).reward)).toEqual([500, 600, 200, 300, 400]);
    expect(b.row(1)).toEqual({ obs: [6, -6], action: [0.6], reward: 600, nextObs: [7, -7], terminal: true });
    expect(b.row(0).terminal).toBe(false);
  });

  it('rejects transitions of the wrong size and sampling an empty buffer', () => {
    const b = new ReplayBuffer({ capacity: 4, obsDim: 2, actDim: 1 });
    expect(() => b.add([1], [0], 0, [1, 2], false)).toThrow(/observations must have 2 entries, got 1 and 2/);
    expect(() => b.add([1, 2], [0, 0], 0, [1, 2], false)).toThrow(/action must have 1 entries, got 2/);
    expect(() => b.add([1, 2], [0], NaN, [1, 2], false)).toThrow(/reward must be finite/);
    expect(() => b.sampleInto(b.allocateBatch(2), new Rng(0))).toThrow(/empty/);
    expect(() => new ReplayBuffer({ capacity: 0, obsDim: 2, actDim: 1 })).toThrow(
      /capacity must be a positive integer/,
    );
  });

  it('samples rows uniformly (chi-square over 10 rows, 100k draws, below the p = 0.001 critical value)', () => {
    const b = new ReplayBuffer({ capacity: 10, obsDim: 2, actDim: 1, dtype: 'float64' });
    for (let k = 0; k < 13; k++) add(b, k); // wrapped: every row filled
    const batch = b.allocateBatch(1000);
    const rng = new Rng(7);
    const counts = new Array<number>(10).fill(0);
    const rows = [...Array(10).keys()].map((i) => b.row(i));
    let mismatches = 0;
    for (let r = 0; r < 100; r++) {
      b.sampleInto(batch, rng);
      for (let i = 0; i < batch.size; i++) {
        const row = rows[batch.indices[i]!]!;
        counts[batch.indices[i]!]!++;
        // the sampled values are the stored row's
        if (batch.reward[i] !== row.reward || batch.obs[2 * i + 1] !== row.obs[1]) mismatches++;
        if (batch.nextObs[2 * i] !== row.nextObs[0] || batch.action[i] !== row.action[0]) mismatches++;
        if (batch.terminal[i] !== (row.terminal ? 1 : 0)) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
    const expected = 100_000 / 10;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(27.88); // χ²(9 dof) at p = 0.001
    // and sampling only a partly filled buffer never returns an unfilled row
    const partial = new ReplayBuffer({ capacity: 10, obsDim: 2, actDim: 1 });
    for (let k = 0; k < 3; k++) add(partial, k);
    const pb = partial.sampleInto(partial.allocateBatch(500), rng);
    expect(Math.max(...pb.indices)).toBeLessThan(3);
  });

  it('restores its state and columns exactly (checkpoints)', () => {
    const b = new ReplayBuffer({ capacity: 4, obsDim: 2, actDim: 1 });
    for (let k = 0; k < 6; k++) add(b, k);
    const c = new ReplayBuffer({ capacity: 4, obsDim: 2, actDim: 1 });
    const held = b.rowsSince(b.totalAdded - b.size);
    c.loadRows(b.getState(), held);
    expect(c.getState()).toEqual(b.getState());
    for (let i = 0; i < 4; i++) expect(c.row(i)).toEqual(b.row(i));
    expect(() =>
      new ReplayBuffer({ capacity: 5, obsDim: 2, actDim: 1 }).loadRows(b.getState(), held),
    ).toThrow(/capacity 4.*this buffer has 5/);
  });
});

describe('exploration noise', () => {
  // N independent processes (one per dimension) give the ensemble moments at each step
  const N = 10_000;

  it('OU (garage defaults σ 0.2, θ 0.15, dt 0.01): mean, variance and autocorrelation match the AR(1) formulas', () => {
    const sigma = 0.2;
    const theta = 0.15;
    const dt = 0.01;
    const mu = 0.3;
    const noise = new ExplorationNoise(N, { kind: 'ou', sigma, theta, dt, mu }, new Rng(1));
    const rho = 1 - theta * dt;
    const q = sigma * sigma * dt;
    const varAt = (t: number): number => (q * (1 - rho ** (2 * t))) / (1 - rho * rho);
    const x = new Float64Array(N);
    const t1 = 300;
    const lag = 200;
    for (let t = 0; t < t1; t++) noise.sample(x);
    const a = x.slice();
    for (let t = 0; t < lag; t++) noise.sample(x);
    const mean = (v: Float64Array): number => v.reduce((s, y) => s + y, 0) / v.length;
    const ma = mean(a);
    const mb = mean(x);
    const va = a.reduce((s, y) => s + (y - ma) ** 2, 0) / N;
    const vb = x.reduce((s, y) => s + (y - mb) ** 2, 0) / N;
    const cov = a.reduce((s, y, i) => s + (y - ma) * (x[i]! - mb), 0) / N;
    // started at μ, so E x_t = μ; standard errors: mean √(var/N), variance √(2/N) ≈ 1.4% relative
    expect(Math.abs(ma - mu)).toBeLessThan(5 * Math.sqrt(varAt(t1) / N));
    // tolerances are 5 standard errors
    expect(Math.abs(va / varAt(t1) - 1)).toBeLessThan(0.07);
    expect(Math.abs(vb / varAt(t1 + lag) - 1)).toBeLessThan(0.07);
    // Cov(x_t, x_{t+k}) = ρ^k Var(x_t); with correlation r ≈ 0.75 its standard error is ≈ 1.2% relative
    expect(Math.abs(cov / (rho ** lag * varAt(t1)) - 1)).toBeLessThan(0.07);
  });

  it('OU reset returns to μ; state round-trips; Gaussian noise is white with std σ', () => {
    const ou = new ExplorationNoise(3, { kind: 'ou', sigma: 0.2 }, new Rng(2));
    for (let t = 0; t < 10; t++) ou.sample();
    const saved = ou.getState();
    const next = ou.sample();
    ou.setState(saved);
    expect(Array.from(ou.sample())).toEqual(Array.from(next));
    ou.reset();
    expect(ou.getState().x).toEqual([0, 0, 0]);

    const g = new ExplorationNoise(N, { kind: 'gaussian', sigma: 0.5 }, new Rng(3));
    const a = g.sample();
    const b = g.sample().slice();
    const m = a.reduce((s, y) => s + y, 0) / N;
    const sd = Math.sqrt(a.reduce((s, y) => s + (y - m) ** 2, 0) / N);
    const corr = a.reduce((s, y, i) => s + y * b[i]!, 0) / N / 0.25;
    expect(Math.abs(m)).toBeLessThan(5 * (0.5 / Math.sqrt(N)));
    expect(Math.abs(sd - 0.5)).toBeLessThan(0.02);
    expect(Math.abs(corr)).toBeLessThan(5 / Math.sqrt(N));
  });
});

describe('Polyak update', () => {
  const nets = (dtype: 'float32' | 'float64') => {
    const opts = (seed: number) => ({
      hidden: [5, 4],
      activation: 'relu' as const,
      dtype,
      rng: new Rng(seed),
    });
    return { src: new Critic(3, 2, opts(1)), dst: new Critic(3, 2, opts(2)) };
  };

  it('p′ ← p′ + τ(p − p′) exactly, in float64 and float32 (one rounding of the difference, one of the update)', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      const { src, dst } = nets(dtype);
      const before = [...dst.namedParameters()].map(([n, p]) => [n, p.dataSync()] as const);
      const tau = 0.01;
      polyakUpdate(dst, src, tau);
      const r = dtype === 'float32' ? Math.fround : (x: number) => x;
      for (const [name, old] of before) {
        const p = src.namedParameters().get(name)!.dataSync();
        const now = dst.namedParameters().get(name)!.dataSync();
        const want = Array.from(old, (o, i) => r(o + tau * r(p[i]! - o)));
        expect(Array.from(now)).toEqual(want);
        // and that is τ·p + (1 − τ)·p′ up to rounding
        old.forEach((o, i) =>
          expect(now[i]).toBeCloseTo(tau * p[i]! + (1 - tau) * o, dtype === 'float64' ? 14 : 6),
        );
      }
    }
  });

  it('τ = 1 copies, τ = 0 keeps, hardUpdate copies; mismatched networks are refused', () => {
    const { src, dst } = nets('float64');
    const snapshot = [...dst.parameters()].map((p) => Array.from(p.dataSync()));
    polyakUpdate(dst, src, 0);
    expect(dst.parameters().map((p) => Array.from(p.dataSync()))).toEqual(snapshot);
    polyakUpdate(dst, src, 1);
    expect(dst.parameters().map((p) => Array.from(p.dataSync()))).toEqual(
      src.parameters().map((p) => Array.from(p.dataSync())),
    );
    const other = new DeterministicActor(3, [-1, -1], [1, 1], {
      hidden: [5, 4],
      activation: 'relu',
      dtype: 'float64',
      rng: new Rng(3),
    });
    expect(() => polyakUpdate(other, src, 0.5)).toThrow(/polyakUpdate/);
    expect(() => polyakUpdate(dst, src, 1.5)).toThrow(/tau must be a finite number >= 0 and <= 1/);
    const fresh = nets('float64');
    hardUpdate(fresh.dst, fresh.src);
    expect(fresh.dst.parameters().map((p) => Array.from(p.dataSync()))).toEqual(
      fresh.src.parameters().map((p) => Array.from(p.dataSync())),
    );
  });
});

describe('networks', () => {
  it('the actor stays within the action bounds; the critic takes the action at layer 2', () => {
    const actor = new DeterministicActor(3, [-2, 0], [2, 1], {
      hidden: [8, 8],
      activation: 'relu',
      dtype: 'float64',
      rng: new Rng(4),
    });
    const x = sr.rng(5).randn([50, 3], { dtype: 'float64', std: 10 });
    const a = actor.forward(x).toArray() as number[][];
    for (const [u, v] of a) {
      expect(Math.abs(u!)).toBeLessThanOrEqual(2);
      expect(v!).toBeGreaterThanOrEqual(0);
      expect(v!).toBeLessThanOrEqual(1);
    }
    const critic = new Critic(3, 2, {
      hidden: [8, 6],
      activation: 'relu',
      dtype: 'float64',
      rng: new Rng(6),
    });
    expect(critic.first.weight.shape).toEqual([3, 8]);
    expect(critic.rest.layers.at(0).weight.shape).toEqual([8 + 2, 6]);
    expect(critic.forward(x, actor.forward(x)).shape).toEqual([50]);
  });
});

describe('DDPG config', () => {
  it('defaults are garage19 DDPG benchmark settings with 2×64 networks and 500 × 1K steps', () => {
    expect(DDPG_DEFAULTS).toMatchObject({
      iterations: 500,
      stepsPerIteration: 1000,
      stepsPerCycle: 100,
      trainStepsPerCycle: 50,
      warmupSteps: 10_000,
      minibatchSize: 64,
      bufferSize: 1_000_000,
      discount: 0.9,
      tau: 0.01,
      actorLr: 1e-4,
      criticLr: 1e-3,
      hidden: [64, 64],
      noise: 'ou',
      noiseSigma: 0.2,
      noiseTheta: 0.15,
      noiseDt: 0.01,
      pgdSteps: 10,
      pgdStepScale: 0.2,
    });
  });

  it('bad settings name the setting, the value and what is allowed', () => {
    expect(() => resolveDdpgConfig({ tau: 2 })).toThrow(/tau = 2 is invalid; allowed: a number in \[0, 1\]/);
    expect(() => resolveDdpgConfig({ algo: 'ddpg-sr-b' })).toThrow(
      /algo = "ddpg-sr-b" is invalid; allowed: one of ddpg, ddpg-sr-a, ddpg-sr-c/,
    );
    expect(() => resolveDdpgConfig({ hidden: [64] })).toThrow(
      /hidden = \[64\] is invalid; allowed: a list of at least 2/,
    );
    expect(() => resolveDdpgConfig({ noise: 'pink' })).toThrow(
      /noise = "pink" is invalid; allowed: one of ou, gaussian/,
    );
    expect(() => resolveDdpgConfig({ batchSize: 64 })).toThrow(/unknown setting 'batchSize'/);
    expect(() => resolveDdpgConfig({ stepsPerIteration: 1050 })).toThrow(/multiple of stepsPerCycle = 100/);
  });
});
