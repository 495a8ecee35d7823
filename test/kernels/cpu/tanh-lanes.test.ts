/**
 * The SIMD tanh evaluates four vectors per loop step in the 16-wide part of a row, one
 * vector in the 4-wide part, and a splatted scalar at the end. Every path must give the
 * same bits for the same input (the polynomial's operations per element are the same), or
 * a layer's output would depend on its width. Checked against the one-element call, which
 * takes the scalar path, on random, large, tiny, infinite and NaN inputs (any NaN gives
 * one NaN, whatever its payload), in the unary op and in the fused linear layer's epilogue.
 */
import { describe, expect, test } from 'vitest';
import { CpuBackend } from '../../../src/kernels/cpu/index.js';
import { Rng } from '../../../src/util/rng.js';

const simd = new CpuBackend({ kernels: 'simd', arenaMinElements: 1 });

/** Inputs with awkward bit patterns: NaNs with payloads and signs, ±Inf, ±0, subnormals, the clamp's edge. */
function inputs(n: number): Float32Array {
  const x = new Float32Array(n);
  new Rng(3).fillNormal(x, 0, 4);
  const bits = new Uint32Array(x.buffer);
  const special = [
    0x7fc00000, 0xffc00000, 0x7f800001, 0xff812345, 0x7f800000, 0xff800000, 0, 0x80000000, 1, 0x80000001,
  ];
  for (let i = 0; i < n; i += 7) bits[i] = special[(i / 7) % special.length]!;
  for (let i = 3; i < n; i += 11)
    x[i] = (i % 2 ? 1 : -1) * [7.9053111, 7.9053112, 3e-4, 4e-4, 5e-4, 20][i % 6]!;
  return x;
}

const bitsOf = (a: ArrayLike<number>): Uint32Array => new Uint32Array(Float32Array.from(a).buffer);

/** Indices where `got` differs in bits from tanh of each element computed alone. */
function againstOneByOne(x: Float32Array, got: ArrayLike<number>): string[] {
  const g = bitsOf(got);
  const out: string[] = [];
  for (let i = 0; i < x.length && out.length < 3; i++) {
    const one = bitsOf(simd.readSync(simd.unary('tanh', simd.upload(x.subarray(i, i + 1)))))[0]!;
    if (g[i] !== one) out.push(`[${i}] x=${x[i]}: ${g[i]!.toString(16)} vs ${one.toString(16)} alone`);
  }
  return out;
}

describe('SIMD tanh: the same bits on every path', () => {
  test('unary tanh of 1–67 elements and of 4099: each as the one-element call gives it', () => {
    const failures: string[] = [];
    for (const n of [...Array.from({ length: 67 }, (_, i) => i + 1), 4099]) {
      const x = inputs(n);
      failures.push(
        ...againstOneByOne(x, simd.readSync(simd.unary('tanh', simd.upload(x)))).map((f) => `n=${n} ${f}`),
      );
    }
    expect(failures).toEqual([]);
  });

  test('a tanh linear layer of width 1–17 and 64: each output as tanh of the layer without activation', () => {
    const failures: string[] = [];
    const m = 5;
    const k = 3;
    for (const n of [...Array.from({ length: 17 }, (_, i) => i + 1), 33, 64]) {
      const w = inputs(k * n).map((v) => (Number.isFinite(v) ? v : 1));
      const x = inputs(m * k);
      const b = inputs(n);
      const layer = (act: 'none' | 'tanh'): Float32Array =>
        simd
          .readSync(simd.linear(simd.upload(x), simd.upload(w), simd.upload(b), m, k, n, act))
          .slice() as Float32Array;
      const z = layer('none');
      failures.push(...againstOneByOne(z, layer('tanh')).map((f) => `n=${n} ${f}`));
    }
    expect(failures).toEqual([]);
  });

  test('every NaN input gives the same NaN', () => {
    const x = new Float32Array(16);
    new Uint32Array(x.buffer).set([0x7fc00000, 0xffc00000, 0x7f800001, 0xff812345, 0x7fa00000, 0x7fc12345]);
    for (let i = 6; i < 16; i++) x[i] = NaN;
    const out = bitsOf(simd.readSync(simd.unary('tanh', simd.upload(x))));
    expect(Number.isNaN(new Float32Array(out.buffer)[0])).toBe(true);
    expect(new Set(out).size).toBe(1);
  });
});
