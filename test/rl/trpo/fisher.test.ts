/**
 * The engine's Fisher-vector product (hvp of the mean KL) against the Fisher matrix built
 * explicitly from the full Jacobian of a tiny policy's outputs: for a Gaussian with
 * state-independent log-std, F = (1/B) Σ_s J_μ(s)ᵀ diag(1/σ²) J_μ(s) + 2·I on the log-std
 * block (the Fisher metric of N(μ, σ²) in (μ, log σ)).
 */
import { describe, expect, it } from 'vitest';
import * as sr from '../../../src/index.js';
import { fisherVectorProduct, meanKlFromCurrent } from '../../../src/rl/trpo/fisher.js';
import { GaussianMlpPolicy } from '../../../src/rl/trpo/gaussian-policy.js';
import { numelOf, readFlat } from '../../../src/rl/params.js';

describe('Fisher-vector product', () => {
  it('equals the explicit Fisher matrix (from the full Jacobian) times v', async () => {
    const [B, obsDim, actDim] = [5, 3, 2];
    const policy = new GaussianMlpPolicy({ obsDim, actDim, hidden: [4], dtype: 'float64', rng: 7 });
    const gen = sr.rng(3);
    // move the log-std away from 0 so σ enters the metric
    policy.logStd.backend.assign(policy.logStd.storage, sr.tensor([0.3, -0.2], { dtype: 'float64' }).storage);
    const obs = gen.randn([B, obsDim], { dtype: 'float64' });
    const params = policy.paramList();
    const n = numelOf(params);
    const nMean = n - actDim;

    // full Jacobian of μ (all B·actDim outputs) w.r.t. the mean-network parameters, one vjp per output
    const [mu, pullback] = sr.vjp((...ps) => policy.mean(obs, [...ps, policy.logStd]), params.slice(0, -1));
    const J: Float64Array[] = [];
    for (let r = 0; r < B * actDim; r++) {
      const e = new Float64Array(B * actDim);
      e[r] = 1;
      J.push(await readFlat(pullback(sr.tensor(e, { shape: mu.shape.slice(), dtype: 'float64' }))));
    }
    const sigma = Float64Array.from(await policy.logStd.data(), Math.exp);
    const F = Array.from({ length: n }, () => new Float64Array(n));
    for (let r = 0; r < B * actDim; r++) {
      const w = 1 / (B * sigma[r % actDim]! ** 2);
      for (let i = 0; i < nMean; i++) for (let j = 0; j < nMean; j++) F[i]![j]! += w * J[r]![i]! * J[r]![j]!;
    }
    for (let k = 0; k < actDim; k++) F[nMean + k]![nMean + k] = 2;

    const fvp = fisherVectorProduct(policy, meanKlFromCurrent(policy, obs), 0);
    for (let trial = 0; trial < 3; trial++) {
      const v = Float64Array.from(gen.randn([n], { dtype: 'float64' }).dataSync());
      const got = await fvp(v);
      const want = F.map((row) => row.reduce((s, x, j) => s + x * v[j]!, 0));
      for (let i = 0; i < n; i++) expect(got[i]).toBeCloseTo(want[i]!, 10);
    }
  });

  it('adds damping·v', async () => {
    const policy = new GaussianMlpPolicy({ obsDim: 2, actDim: 1, hidden: [3], dtype: 'float64', rng: 1 });
    const obs = sr.rng(0).randn([4, 2], { dtype: 'float64' });
    const kl = meanKlFromCurrent(policy, obs);
    const v = new Float64Array(numelOf(policy.paramList())).map((_, i) => Math.sin(i + 1));
    const plain = await fisherVectorProduct(policy, kl, 0)(v);
    const damped = await fisherVectorProduct(policy, kl, 0.5)(v);
    plain.forEach((x, i) => expect(damped[i]).toBeCloseTo(x + 0.5 * v[i]!, 12));
  });
});
