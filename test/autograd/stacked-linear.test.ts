/**
 * stackedLinear, the population's fused layer: f64 gradients and second derivatives
 * against finite differences, and each slice bit-identical (forward and every gradient)
 * to `linear` run alone on that slice, with either CPU kernel set.
 */
import { describe, expect, test } from 'vitest';
import * as sr from '../../src/index.js';
import { ACTIVATIONS, type Activation } from '../../src/kernels/backend.js';
import { CpuBackend, type CpuKernels } from '../../src/kernels/cpu/index.js';
import { Rng } from '../../src/util/rng.js';
import { randF64 } from './helpers.js';

describe('stackedLinear: gradcheck (float64)', () => {
  for (const act of ACTIVATIONS) {
    test(`${act}, with bias`, () => {
      // relu's kink at 0: biases in [0.3, 0.6] keep these pre-activations away from it
      const b = act === 'relu' ? randF64([2, 4], 3, 0.3, 0.6) : randF64([2, 4], 3);
      const r = sr.gradcheck(
        (x, w, bb) => sr.stackedLinear(x, w, bb, act),
        [randF64([2, 5, 3], 1), randF64([2, 3, 4], 2, -0.5, 0.5), b],
        { raise: false },
      );
      expect(r.ok, JSON.stringify(r.worst)).toBe(true);
      expect(r.checked).toBe(30 + 24 + 8);
    });
  }

  test('no bias, 4-D input [S, 2, 3, in]', () => {
    const r = sr.gradcheck(
      (x, w) => sr.stackedLinear(x, w, null, 'tanh'),
      [randF64([3, 2, 3, 2], 1), randF64([3, 2, 4], 2)],
      { raise: false },
    );
    expect(r.ok, JSON.stringify(r.worst)).toBe(true);
  });

  test('second derivatives (what TRPO Fisher products need): two stacked layers', () => {
    const r = sr.gradgradcheck(
      (x, w1, b1, w2) => sr.stackedLinear(sr.stackedLinear(x, w1, b1, 'tanh'), w2, null, 'sigmoid'),
      [randF64([2, 3, 2], 1), randF64([2, 2, 4], 2), randF64([2, 4], 3), randF64([2, 4, 2], 4)],
      { raise: false },
    );
    expect(r.ok, JSON.stringify(r.worst)).toBe(true);
  });
});

describe('stackedLinear: errors name the shapes', () => {
  test('mismatched population or feature sizes', () => {
    const x = sr.zeros([2, 5, 3]);
    expect(() => sr.stackedLinear(x, sr.zeros([3, 3, 4]))).toThrow(
      /stackedLinear: expected x \[S, \.\.\., in\], W \[S, in, out\], b \[S, out\]; got x \[2, 5, 3\], W \[3, 3, 4\]/,
    );
    expect(() => sr.stackedLinear(x, sr.zeros([2, 3, 4]), sr.zeros([4]))).toThrow(/, b \[4\]/);
    expect(() => sr.stackedLinear(x, sr.zeros([3, 4]))).toThrow(/W \[3, 4\]/);
    expect(() => sr.stackedLinear(x, sr.zeros([2, 3, 4]), null, 'gelu' as Activation)).toThrow(
      /unknown activation 'gelu'/,
    );
  });
});

/** Float32 values of `shape` on backend `b`, from a seeded generator. */
function f32(b: CpuBackend, shape: number[], rng: Rng, lo = -1, hi = 1): sr.Tensor {
  const size = shape.reduce((p, d) => p * d, 1);
  return sr.tensor(rng.fillUniform(new Float32Array(size), lo, hi), { shape, backend: b });
}

function bits(t: sr.Tensor): number[] {
  return Array.from(new Uint32Array(new Float32Array(t.dataSync()).buffer));
}

// [S, M, K, N]: DDPG's update (64 × 17 → 64), one action per seed (1 × 17 → 6: small
// outputs, large weights), a critic's last layer (64 × 64 → 1), and all-small slices
// (2 × 3 → 5) where a single layer runs the plain loops even with SIMD on
const SHAPES: [number, number, number, number][] = [
  [3, 64, 17, 64],
  [4, 1, 17, 6],
  [3, 64, 64, 1],
  [5, 2, 3, 5],
];

describe.each(['simd', 'js'] as CpuKernels[])(
  'stackedLinear slices equal linear bit for bit (%s kernels)',
  (kernels) => {
    const b = new CpuBackend({ kernels });
    for (const [s, m, k, n] of SHAPES) {
      for (const act of ACTIVATIONS) {
        test(`${act}: ${s} × (${m}×${k} · ${k}×${n})`, () => {
          const rng = new Rng(s * 1000 + m + k + n);
          const x = f32(b, [s, m, k], rng);
          const w = f32(b, [s, k, n], rng, -0.5, 0.5);
          const bias = f32(b, [s, n], rng);
          const g = f32(b, [s, m, n], rng);
          const y = sr.stackedLinear(x, w, bias, act);
          const [gx, gw, gb] = sr.grad(
            (xx: sr.Tensor, ww: sr.Tensor, bb: sr.Tensor) => sr.stackedLinear(xx, ww, bb, act).mul(g).sum(),
            [0, 1, 2],
          )(x, w, bias) as sr.Tensor[];
          for (let i = 0; i < s; i++) {
            const xi = x.slice([i], [i + 1]).reshape([m, k]);
            const wi = w.slice([i], [i + 1]).reshape([k, n]);
            const bi = bias.slice([i], [i + 1]).reshape([n]);
            const gi = g.slice([i], [i + 1]).reshape([m, n]);
            const yi = sr.linear(xi, wi, bi, act);
            const [gxi, gwi, gbi] = sr.grad(
              (xx: sr.Tensor, ww: sr.Tensor, bb: sr.Tensor) => sr.linear(xx, ww, bb, act).mul(gi).sum(),
              [0, 1, 2],
            )(xi, wi, bi) as sr.Tensor[];
            const at = (t: sr.Tensor, shape: number[]): number[] =>
              bits(t.slice([i], [i + 1]).reshape(shape));
            expect(at(y, [m, n]), `y slice ${i}`).toEqual(bits(yi));
            expect(at(gx!, [m, k]), `dx slice ${i}`).toEqual(bits(gxi!));
            expect(at(gw!, [k, n]), `dW slice ${i}`).toEqual(bits(gwi!));
            expect(at(gb!, [n]), `db slice ${i}`).toEqual(bits(gbi!));
          }
        });
      }
    }
  },
);
