/**
 * The activation gradient's two CPU kernel sets give the same float32 bits: the backend
 * picks SIMD or the plain loop by the whole tensor's size, so a population's stacked
 * [S, B, n] may take SIMD where each member's [B, n] alone takes the loop (cpu/matmul.ts).
 */
import { describe, expect, test } from 'vitest';
import { CpuBackend } from '../../../src/kernels/cpu/index.js';
import { Rng } from '../../../src/util/rng.js';

const js = new CpuBackend({ kernels: 'js' });
const simd = new CpuBackend({ kernels: 'simd' });

describe('activationGrad', () => {
  test.each(['tanh', 'sigmoid', 'relu'] as const)('%s: SIMD and plain loop agree bit for bit', (act) => {
    const n = 4099; // SIMD lanes plus a tail
    const rng = new Rng(7);
    const y = new Float32Array(n).map(() => (act === 'sigmoid' ? rng.uniform() : 2 * rng.uniform() - 1));
    const g = new Float32Array(n);
    rng.fillNormal(g, 0, 3);
    const [a, b] = [js, simd].map((be) =>
      Array.from(be.readSync(be.activationGrad(act, be.upload(y), be.upload(g)))),
    );
    expect(b).toEqual(a);
    // the old plain loop (double arithmetic, one rounding) differs somewhere: the test has teeth
    if (act !== 'relu') {
      const once = Array.from(
        Float32Array.from(y, (v, i) => (act === 'tanh' ? g[i]! * (1 - v * v) : g[i]! * v * (1 - v))),
      );
      expect(once).not.toEqual(a);
    }
  });
});
