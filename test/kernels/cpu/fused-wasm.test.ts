/**
 * Generated WebAssembly fused kernels (cpu/fused-wasm.ts, wasm/emit.ts): the LEB128
 * encoders, and every emitted op equal bit for bit to the JavaScript fused loop on
 * awkward values (NaN, ±0, ±Inf, tiny, huge) and lengths (tails of 1–3 elements), tanh
 * equal to the SIMD tanh kernel, scalar inputs, outputs aliasing inputs, several
 * outputs, the fallback for heap operands, and no writes outside the operands' blocks.
 */
import { describe, expect, test } from 'vitest';
import type { FusedOp, FusedSpec } from '../../../src/kernels/backend.js';
import { fusedKernel } from '../../../src/kernels/cpu/fused.js';
import { emits, fusedWasm } from '../../../src/kernels/cpu/fused-wasm.js';
import { CpuBackend } from '../../../src/kernels/cpu/index.js';
import { CpuStorage } from '../../../src/kernels/cpu/storage.js';
import { sharedArena } from '../../../src/kernels/cpu/wasm/arena.js';
import { FunctionBody, I32, moduleBytes, sleb, uleb } from '../../../src/kernels/cpu/wasm/emit.js';
import { instantiateOnArena } from '../../../src/kernels/cpu/wasm/module.js';
import { Rng } from '../../../src/util/rng.js';
import { pgdSpec } from '../../../bench/compile/fusion.js';

const arena = sharedArena();
const rng = new Rng(77);

/** Awkward values first, then normal draws (some scaled up to reach tanh's clamp). */
function values(n: number, salt: number): Float32Array {
  const special = [NaN, 0, -0, Infinity, -Infinity, 1e-30, -1e-30, 3e38, -3e38, 1, -1, 0.0003, 8, -8];
  const a = new Float32Array(n);
  rng.fillNormal(a, 0, 1 + salt);
  for (let i = 0; i < n; i += 7) a[i] = special[(i / 7 + salt) % special.length]!;
  return a;
}

/** The arena offset of an operand, or -1 (decline) when it is not in the arena. */
const inPlace = (s: CpuStorage): number => (s.arena !== null ? s.ptr : -1);

function inArena(data: Float32Array): CpuStorage {
  const s = CpuStorage.inArena(arena, data.length)!;
  (s.data as Float32Array).set(data);
  return s;
}

/** Bits of a float32 array, every NaN as one pattern (payloads are not specified). */
function bits(a: ArrayLike<number>): number[] {
  const u = new Uint32Array(new Float32Array(Array.from(a)).buffer);
  return Array.from(u, (b, i) => (Number.isNaN(a[i]) ? 0x7fc00000 : b));
}

/** Runs spec through the generated module (arena storages) and the JavaScript loop (heap copies). */
function both(spec: FusedSpec, inputs: Float32Array[]): { wasm: number[][]; js: number[][] } {
  const outs = new Set(spec.stores.map((s) => s.out)).size;
  const ins = inputs.map(inArena);
  const o = Array.from({ length: outs }, () => CpuStorage.inArena(arena, spec.n)!);
  expect(fusedWasm(spec)!(ins, o, inPlace, inPlace)).toBe(true);
  const jsOuts = Array.from({ length: outs }, () => new Float32Array(spec.n));
  fusedKernel(spec)(Math.fround, spec.n, ...inputs.map((x) => x.slice()), ...jsOuts);
  return { wasm: o.map((s) => bits(s.data)), js: jsOuts.map(bits) };
}

const unary = (op: FusedOp['op'], n: number): FusedSpec => ({
  n,
  dtype: 'float32',
  scalar: [false],
  ops: [{ op, args: [{ input: 0 }] }],
  stores: [{ value: 0, out: 0 }],
});
const binary = (op: FusedOp['op'], n: number, scalarB = false): FusedSpec => ({
  n,
  dtype: 'float32',
  scalar: [false, scalarB],
  ops: [{ op, args: [{ input: 0 }, { input: 1 }] }],
  stores: [{ value: 0, out: 0 }],
});

describe('wasm emitter', () => {
  test('LEB128 encodings', () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-64)).toEqual([0x40]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(() => uleb(-1)).toThrow(/non-negative/);
    expect(() => sleb(2 ** 31)).toThrow(/32-bit/);
  });

  test('a module importing the arena memory writes into it', () => {
    // store(p, 4 + 38) as an i32 through a v128 splat: exercises locals, consts and SIMD stores
    const f = new FunctionBody([I32]);
    f.get(0).i32Const(4).i32Const(38).i32Add().simd(0x11 /* i32x4.splat */).v128Store();
    const bytes = moduleBytes([{ name: 'put', body: f }]);
    const put = instantiateOnArena(bytes).put as (p: number) => void;
    const s = CpuStorage.inArena(arena, 4)!;
    put(s.ptr);
    expect(Array.from(new Int32Array(arena.buffer, s.ptr, 4))).toEqual([42, 42, 42, 42]);
  });
});

describe('fused WebAssembly kernels', () => {
  const UNARY: FusedOp['op'][] = ['neg', 'abs', 'sqrt', 'square', 'reciprocal', 'relu', 'sign'];
  const BINARY: FusedOp['op'][] = [
    ...['add', 'sub', 'mul', 'div', 'maximum', 'minimum'],
    ...['lt', 'le', 'gt', 'ge', 'eq', 'ne'],
  ] as FusedOp['op'][];

  for (const n of [1, 3, 4, 5, 17, 1088])
    test(`each op equals the JavaScript loop bit for bit (n = ${n})`, () => {
      for (const op of UNARY) {
        const r = both(unary(op, n), [values(n, 0)]);
        expect(r.wasm, op).toEqual(r.js);
      }
      for (const op of BINARY) {
        const a = values(n, 1);
        const b = values(n, 2);
        b[0] = a[0]!; // equal operands (and NaN vs NaN)
        if (n > 4) b[3] = a[3] = 0; // +0 vs -0 through maximum/minimum
        if (n > 4) b[4] = -(a[4] = 0);
        const r = both(binary(op, n), [a, b]);
        expect(r.wasm, op).toEqual(r.js);
        const s = both(binary(op, n, true), [a, new Float32Array([-0.5])]);
        expect(s.wasm, `${op} with a scalar`).toEqual(s.js);
      }
    });

  test('tanh equals the SIMD tanh kernel bit for bit', () => {
    const simd = new CpuBackend({ kernels: 'simd', arenaMinElements: 1 });
    for (const n of [5, 1088]) {
      const x = values(n, 3);
      const o = CpuStorage.inArena(arena, n)!;
      expect(fusedWasm(unary('tanh', n))!([inArena(x)], [o], inPlace, inPlace)).toBe(true);
      const ref = simd.readSync(simd.unary('tanh', simd.upload(x)));
      expect(bits(o.data)).toEqual(bits(ref));
    }
  });

  test('every number of operands (the calls written out up to 8, spread past that) passes each to its place', () => {
    // a sum of k inputs, alternating vector and scalar, into one output: k + 1 parameters
    for (let k = 1; k <= 9; k++) {
      const spec: FusedSpec = {
        n: 260,
        dtype: 'float32',
        scalar: Array.from({ length: k }, (_, i) => i % 2 === 1),
        ops: Array.from({ length: Math.max(k - 1, 1) }, (_, i) =>
          k === 1
            ? { op: 'neg' as const, args: [{ input: 0 }] }
            : { op: 'add' as const, args: [i === 0 ? { input: 0 } : { value: i - 1 }, { input: i + 1 }] },
        ),
        stores: [{ value: Math.max(k - 2, 0), out: 0 }],
      };
      const inputs = spec.scalar.map((sc, i) => (sc ? new Float32Array([i + 0.25]) : values(260, 10 + i)));
      const r = both(spec, inputs);
      expect(r.wasm, `${k} inputs`).toEqual(r.js);
    }
  });

  test('a PGD chain with scalars, two outputs, and an output aliasing its input', () => {
    // d' = clamp(d + 0.02·sign(g), −0.1, 0.1), also storing sign(g)
    const spec: FusedSpec = {
      ...pgdSpec(1089),
      stores: [
        { value: 0, out: 0 },
        { value: 4, out: 1 },
      ],
    };
    const g = values(1089, 4);
    const d = values(1089, 5).map((x) => x * 0.05);
    const sc = (x: number): Float32Array => new Float32Array([x]);
    const r = both(spec, [g, sc(0.02), d, sc(-0.1), sc(0.1)]);
    expect(r.wasm).toEqual(r.js);
    // the output written over its own input d
    const ins = [g, sc(0.02), d, sc(-0.1), sc(0.1)].map(inArena);
    const signs = CpuStorage.inArena(arena, 1089)!;
    expect(fusedWasm(spec)!(ins, [signs, ins[2]!], inPlace, inPlace)).toBe(true);
    expect(bits(ins[2]!.data)).toEqual(r.js[1]);
  });

  test('writes stay inside the output block; heap or released operands decline', () => {
    const n = 5; // a 32-byte block: the second vector covers elements 4–7
    const x = inArena(values(n, 6));
    const o = CpuStorage.inArena(arena, n)!;
    const after = (): number[] => Array.from(new Uint32Array(arena.buffer, o.ptr + 32, 4));
    const before = after();
    expect(fusedWasm(unary('neg', n))!([x], [o], inPlace, inPlace)).toBe(true);
    expect(after()).toEqual(before);
    expect(bits(o.data)).toEqual(bits(Array.from(x.data, (v) => -v)));
    const heap = new CpuStorage(new Float32Array(n));
    expect(fusedWasm(unary('neg', n))!([heap], [o], inPlace, inPlace)).toBe(false);
    x.release();
    expect(fusedWasm(unary('neg', n))!([x], [o], inPlace, inPlace)).toBe(false);
  });

  test('through the backend: heap operands of SIMD size are staged (same bits), small ones run the loop', () => {
    const be = new CpuBackend({ kernels: 'simd' });
    // tanh → mul by a scalar: the op whose unfused kernel depends on where its operand lives
    const chain = (n: number): FusedSpec => ({
      n,
      dtype: 'float32',
      scalar: [false, true],
      ops: [
        { op: 'tanh', args: [{ input: 0 }] },
        { op: 'mul', args: [{ value: 0 }, { input: 1 }] },
      ],
      stores: [{ value: 1, out: 0 }],
    });
    const half = new CpuStorage(new Float32Array([0.5]));
    for (const n of [1089, 100]) {
      const x = values(n, 7);
      const run = (input: CpuStorage, out: CpuStorage): number[] => {
        be.fusedElementwise(chain(n), [input, half], [out]);
        return bits(out.data);
      };
      const inHeap = run(new CpuStorage(x.slice()), new CpuStorage(new Float32Array(n)));
      if (n >= 256) {
        // as the unfused SIMD kernels would compute it, wherever the operands live
        expect(inHeap).toEqual(run(inArena(x), CpuStorage.inArena(arena, n)!));
        const ref = be.readSync(be.binary('mul', be.unary('tanh', be.upload(x)), [n], half, [1], [n]));
        expect(inHeap).toEqual(bits(ref));
      } else {
        const js = new Float32Array(n);
        fusedKernel(chain(n))(Math.fround, n, x.slice(), new Float32Array([0.5]), js);
        expect(inHeap).toEqual(bits(js));
      }
    }
  });

  test('specs with ops it does not emit, or float64, get no module', () => {
    expect(emits(unary('exp', 8))).toBe(false);
    expect(emits({ ...unary('neg', 8), dtype: 'float64' })).toBe(false);
    expect(fusedWasm(binary('pow', 8))).toBeNull();
    expect(emits(unary('tanh', 8))).toBe(true);
  });
});
