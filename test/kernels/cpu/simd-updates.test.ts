/**
 * The WebAssembly Adam and axpy updates (wasm/assembly/optim.ts) compute in float64 lanes
 * in the plain loops' order, so they equal the JavaScript loops bit for bit: checked over
 * several steps, with weight decay, on odd lengths (the scalar tail) and on parameters
 * small enough to stay on the heap (the plain loop runs there).
 */
import { describe, expect, test } from 'vitest';
import type { AdamHyper, Storage } from '../../../src/kernels/backend.js';
import { CpuBackend } from '../../../src/kernels/cpu/index.js';
import type { CpuStorage } from '../../../src/kernels/cpu/storage.js';
import { Rng } from '../../../src/util/rng.js';

const js = new CpuBackend({ kernels: 'js' });
const simd = new CpuBackend({ kernels: 'simd' });

function draws(n: number, seed: number, scale = 1): Float32Array {
  const a = new Float32Array(n);
  new Rng(seed).fillNormal(a, 0, scale);
  return a;
}

const bits = (be: CpuBackend, s: Storage): number[] =>
  Array.from(new Uint32Array(new Float32Array(be.readSync(s)).buffer));

describe('SIMD optimizer updates', () => {
  for (const n of [4097, 4096, 255])
    test(`adam equals the plain loop bit for bit (n = ${n})`, () => {
      const p0 = draws(n, 1);
      const m0 = draws(n, 2, 0.01);
      const v0 = draws(n, 3, 0.01).map((x) => x * x);
      const state = [js, simd].map((be) => ({
        be,
        p: be.upload(p0),
        m: be.upload(m0),
        v: be.upload(v0),
      }));
      expect((state[1]!.p as CpuStorage).arena !== null).toBe(n >= 256);
      for (let step = 1; step <= 4; step++) {
        const g = draws(n, 10 + step, step === 2 ? 1e-20 : 1);
        const h: AdamHyper = {
          lr: 3e-4,
          beta1: 0.9,
          beta2: 0.999,
          eps: 1e-8,
          weightDecay: step > 2 ? 0.01 : 0,
          step,
        };
        for (const s of state) s.be.adamUpdate(s.p, s.be.upload(g), s.m, s.v, h);
      }
      const [a, b] = state as [(typeof state)[0], (typeof state)[0]];
      expect(bits(b.be, b.p)).toEqual(bits(a.be, a.p));
      expect(bits(b.be, b.m)).toEqual(bits(a.be, a.m));
      expect(bits(b.be, b.v)).toEqual(bits(a.be, a.v));
      expect(bits(a.be, a.p)).not.toEqual(Array.from(new Uint32Array(p0.buffer))); // it moved
    });

  test('axpy (the Polyak step) equals the plain loop bit for bit', () => {
    for (const n of [4097, 300]) {
      const p0 = draws(n, 5);
      const x = draws(n, 6);
      const [a, b] = [js, simd].map((be) => be.upload(p0)) as [Storage, Storage];
      for (const alpha of [0.005, -1 / 3, 1e-7]) {
        js.axpy(a, js.upload(x), alpha);
        simd.axpy(b, simd.upload(x), alpha);
      }
      expect((b as CpuStorage).arena).not.toBeNull();
      expect(bits(simd, b)).toEqual(bits(js, a));
    }
  });
});
