/**
 * Fused elementwise kernels on the CPU as JavaScript: one generated loop per FusedSpec
 * (`new Function`, cached by its code), from the same scalar expressions as the unfused
 * kernels (elementwise.ts). The backend runs it where the generated WebAssembly SIMD
 * function (fused-wasm.ts) does not apply: ops it does not emit, float64, and runs below
 * the SIMD kernels' size (where the unfused kernels are these loops too). float32
 * intermediates are rounded to float32 after every op (Math.fround), as the unfused
 * kernels store them: float32 +, −, ×, ÷ done in double and rounded once are the IEEE
 * float32 results, so a fused run equals the unfused kernels.
 */
import type { FusedSpec } from '../backend.js';
import type { TypedArray } from '../dtype.js';
import { BINARY_EXPR, UNARY_EXPR } from './elementwise.js';

/**
 * With the SIMD kernel set, fused JavaScript loops (specs the WebAssembly generator does
 * not cover: exp, log, pow, sigmoid, softplus, float64) over more elements than this do
 * not pay: the unfused kernels are SIMD there (2-core EPYC, a 4-op chain, median µs
 * unfused / fused loop: 1088 elements 18.0 / 15.7, 4096: 25.0 / 27.1, 64000: 467 / 529).
 */
export const LOOP_FUSE_MAX_ELEMENTS = 4096;

type FusedFn = (f: (x: number) => number, n: number, ...arrays: TypedArray[]) => void;

const cache = new Map<string, FusedFn>();

function source(spec: FusedSpec): { params: string[]; body: string } {
  const round = spec.dtype === 'float32' ? (e: string) => `f(${e})` : (e: string) => `(${e})`;
  const operand = (a: { input: number } | { value: number }): string =>
    'input' in a ? `x${a.input}` : `t${a.value}`;
  const lines = spec.ops.map((o, j) => {
    const unary = o.args.length === 1;
    const expr = unary
      ? UNARY_EXPR[o.op as keyof typeof UNARY_EXPR]
      : BINARY_EXPR[o.op as keyof typeof BINARY_EXPR];
    const binds = unary
      ? `x = ${operand(o.args[0]!)}`
      : `a = ${operand(o.args[0]!)}, b = ${operand(o.args[1]!)}`;
    return `let t${j}; { const ${binds}; t${j} = ${round(expr)}; }`;
  });
  const hoisted = spec.scalar.map((s, k) => (s ? `const x${k} = i${k}[0];` : '')).join(' ');
  // every operand of element i is read before anything of element i is stored: outputs may
  // share buffers with inputs read at the same index (the planner reuses dead values' buffers)
  const loads = spec.scalar.map((s, k) => (s ? '' : `const x${k} = i${k}[i];`)).join(' ');
  const stores = spec.stores.map((st) => `o${st.out}[i] = t${st.value};`).join(' ');
  const outs = new Set(spec.stores.map((st) => st.out)).size;
  return {
    params: [
      'f',
      'n',
      ...spec.scalar.map((_, k) => `i${k}`),
      ...Array.from({ length: outs }, (_, k) => `o${k}`),
    ],
    body: `${hoisted} for (let i = 0; i < n; i++) { ${loads} ${lines.join(' ')} ${stores} }`,
  };
}

/** Runs `spec` over typed arrays: inputs then outputs. */
export function fusedKernel(spec: FusedSpec): FusedFn {
  const { params, body } = source(spec);
  const key = `${params.join(',')}|${body}`;
  let fn = cache.get(key);
  if (fn === undefined) {
    fn = new Function(...params, body) as FusedFn;
    cache.set(key, fn);
  }
  return fn;
}
