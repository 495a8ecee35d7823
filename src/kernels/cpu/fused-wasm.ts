/**
 * Fused elementwise kernels as generated WebAssembly SIMD: one function per float32
 * FusedSpec, emitted at plan time (wasm/emit.ts) and run on the arena blocks in place.
 *
 * Every emitted op computes what the JavaScript loop (fused.ts) computes, bit for bit:
 * f32x4 +, −, ×, ÷ and sqrt are the IEEE float32 results that loop gets by rounding the
 * double result once; maximum, minimum, sign, relu and the comparisons are built from
 * compares and bitselect to reproduce the scalar expressions' NaN and signed-zero cases
 * (f32x4.max would not: it orders −0 below +0); tanh is the rational polynomial of the
 * SIMD tanh kernel (wasm/assembly/elementwise.ts), op for op, so the fused tanh equals
 * the unfused SIMD kernel. Specs using other ops (exp, log, pow, sigmoid, softplus)
 * and float64 specs get no module: the JavaScript loop runs them.
 *
 * The loop runs ⌈n/4⌉ vectors and has no scalar tail: arena blocks (and the scratch
 * blocks heap operands are staged through) are sized in whole 16-byte units
 * (wasm/arena.ts), so the last vector reads and writes only its own operands' blocks;
 * lanes past n hold padding nobody reads.
 */
import type { FusedOp, FusedSpec } from '../backend.js';
import { F32, FunctionBody, I32, moduleBytes, SIMD, V128, type ValType } from './wasm/emit.js';
import { instantiateOnArena } from './wasm/module.js';
import type { CpuStorage } from './storage.js';

type Op = FusedOp['op'];

/** Ops the generator emits. */
const EMITTED: ReadonlySet<Op> = new Set<Op>([
  ...['add', 'sub', 'mul', 'div', 'maximum', 'minimum'],
  ...['neg', 'abs', 'sqrt', 'square', 'reciprocal', 'relu', 'sign', 'tanh'],
  ...['lt', 'le', 'gt', 'ge', 'eq', 'ne'],
] as Op[]);

// the SIMD tanh kernel's constants (wasm/assembly/elementwise.ts), rounded to float32 as there
const TANH_P = [
  -2.76076847742355e-16, 2.00018790482477e-13, -8.60467152213735e-11, 5.12229709037114e-8,
  1.48572235717979e-5, 6.37261928875436e-4, 4.89352455891786e-3,
];
const TANH_Q = [1.19825839466702e-6, 1.18534705686654e-4, 2.268434632439e-3, 4.89352518554385e-3];
const TANH_CLAMP = 7.90531110763549805;
const TANH_TINY = 0.0004;

const COMPARE: Partial<Record<Op, number>> = {
  lt: SIMD.f32x4Lt,
  le: SIMD.f32x4Le,
  gt: SIMD.f32x4Gt,
  ge: SIMD.f32x4Ge,
  eq: SIMD.f32x4Eq,
  ne: SIMD.f32x4Ne,
};
const ARITH: Partial<Record<Op, number>> = {
  add: SIMD.f32x4Add,
  sub: SIMD.f32x4Sub,
  mul: SIMD.f32x4Mul,
  div: SIMD.f32x4Div,
};
const UNARY: Partial<Record<Op, number>> = { neg: SIMD.f32x4Neg, abs: SIMD.f32x4Abs, sqrt: SIMD.f32x4Sqrt };

/** Whether the generator covers every op of the spec (float32 only). */
export function emits(spec: FusedSpec): boolean {
  return spec.dtype === 'float32' && spec.n > 0 && spec.ops.every((o) => EMITTED.has(o.op));
}

/** Pushes op(args) (locals holding v128 values) onto the stack. */
function emitOp(f: FunctionBody, op: Op, a: number, b: number): void {
  const arith = ARITH[op];
  if (arith !== undefined) return void f.get(a).get(b).simd(arith);
  const unary = UNARY[op];
  if (unary !== undefined) return void f.get(a).simd(unary);
  const cmp = COMPARE[op];
  // a < b ? 1 : 0 : the all-ones mask kept only where the lane is 1.0
  if (cmp !== undefined) return void f.get(a).get(b).simd(cmp).f32x4Const(1).simd(SIMD.and);
  switch (op) {
    case 'square':
      return void f.get(a).get(a).simd(SIMD.f32x4Mul);
    case 'reciprocal':
      return void f.f32x4Const(1).get(a).simd(SIMD.f32x4Div);
    case 'maximum':
    case 'minimum':
      // a > b || a !== a ? a : b (minimum: <)
      f.get(a).get(b);
      f.get(a)
        .get(b)
        .simd(op === 'maximum' ? SIMD.f32x4Gt : SIMD.f32x4Lt);
      f.get(a).get(a).simd(SIMD.f32x4Ne).simd(SIMD.or);
      return void f.simd(SIMD.bitselect);
    case 'relu':
      // x < 0 ? 0 : x
      f.f32x4Const(0).get(a);
      return void f.get(a).f32x4Const(0).simd(SIMD.f32x4Lt).simd(SIMD.bitselect);
    case 'sign':
      // x > 0 ? 1 : x < 0 ? -1 : x
      f.f32x4Const(1);
      f.f32x4Const(-1).get(a).get(a).f32x4Const(0).simd(SIMD.f32x4Lt).simd(SIMD.bitselect);
      return void f.get(a).f32x4Const(0).simd(SIMD.f32x4Gt).simd(SIMD.bitselect);
    case 'tanh':
      return emitTanh(f, a);
    default:
      throw new Error(`fused-wasm: internal: no code for ${op}`);
  }
}

/** tanh as the SIMD kernel's tanhV: x·P(x²)/Q(x²) on the clamped x, x itself where |x| is tiny. */
function emitTanh(f: FunctionBody, x: number): void {
  const xc = f.local(V128);
  const x2 = f.local(V128);
  const p = f.local(V128);
  f.get(x).f32x4Const(-TANH_CLAMP).simd(SIMD.f32x4Max).f32x4Const(TANH_CLAMP).simd(SIMD.f32x4Min);
  f.tee(xc).get(xc).simd(SIMD.f32x4Mul).set(x2);
  // Horner: p = x2·c0 + c1, then p = x2·p + c for the rest
  const horner = (cs: number[]): void => {
    f.get(x2).f32x4Const(cs[0]!).simd(SIMD.f32x4Mul).f32x4Const(cs[1]!).simd(SIMD.f32x4Add);
    for (const c of cs.slice(2))
      f.set(p).get(x2).get(p).simd(SIMD.f32x4Mul).f32x4Const(c).simd(SIMD.f32x4Add);
  };
  horner(TANH_P);
  f.set(p).get(xc).get(p).simd(SIMD.f32x4Mul).set(p);
  // x on the stack first: bitselect(x, p / q, |x| < tiny)
  f.get(x).get(p);
  horner(TANH_Q);
  f.simd(SIMD.f32x4Div);
  f.get(x).simd(SIMD.f32x4Abs).f32x4Const(TANH_TINY).simd(SIMD.f32x4Lt).simd(SIMD.bitselect);
}

/** Which inputs are read per element (vector) and which once (scalar), by input index. */
function inputKinds(spec: FusedSpec): { vectorIns: number[]; scalarIns: number[]; outs: number } {
  return {
    vectorIns: spec.scalar.flatMap((s, k) => (s ? [] : [k])),
    scalarIns: spec.scalar.flatMap((s, k) => (s ? [k] : [])),
    outs: new Set(spec.stores.map((s) => s.out)).size,
  };
}

/**
 * The function's parameters: a byte offset per vector input, then per output, then the
 * float32 value of each scalar input.
 */
export function fusedFunction(spec: FusedSpec): FunctionBody {
  const { vectorIns, scalarIns, outs } = inputKinds(spec);
  const f = new FunctionBody(<ValType[]>[
    ...vectorIns.map(() => I32),
    ...Array.from({ length: outs }, () => I32),
    ...scalarIns.map(() => F32),
  ]);
  const param = new Map<number, number>(); // input k → its parameter
  vectorIns.forEach((k, j) => param.set(k, j));
  scalarIns.forEach((k, j) => param.set(k, vectorIns.length + outs + j));
  const i = f.local(I32);
  // input k's value: a splat made once (scalar) or a load per vector
  const input = new Map<number, number>();
  for (const k of scalarIns) {
    const l = f.local(V128);
    f.get(param.get(k)!).simd(SIMD.f32x4Splat).set(l);
    input.set(k, l);
  }
  for (const k of vectorIns) input.set(k, f.local(V128));
  const values = spec.ops.map(() => f.local(V128));
  const bytes = spec.n * 4;
  f.loop();
  // every operand of the vector is loaded before any result is stored (outputs may alias inputs)
  for (const k of vectorIns) f.get(param.get(k)!).get(i).i32Add().v128Load().set(input.get(k)!);
  spec.ops.forEach((o, j) => {
    const arg = (x: FusedOp['args'][number] | undefined): number =>
      x === undefined ? -1 : 'input' in x ? input.get(x.input)! : values[x.value]!;
    emitOp(f, o.op, arg(o.args[0]), arg(o.args[1]));
    f.set(values[j]!);
  });
  for (const st of spec.stores) {
    f.get(vectorIns.length + st.out)
      .get(i)
      .i32Add()
      .get(values[st.value]!)
      .v128Store();
  }
  f.get(i).i32Const(16).i32Add().tee(i).i32Const(bytes).i32LtU().brIf(0);
  f.end();
  return f;
}

type Exported = (...args: number[]) => void;
const compiled = new Map<string, Exported>();

/**
 * Runs a generated kernel on storages (inputs then outputs); `inAt` and `outAt` give each
 * vector operand's byte offset in the arena (staging heap ones) or -1 when there is no
 * room, and then the runner returns false having run nothing.
 */
export type FusedRunner = (
  ins: readonly CpuStorage[],
  outs: readonly CpuStorage[],
  inAt: (s: CpuStorage) => number,
  outAt: (s: CpuStorage) => number,
) => boolean;

/** A runner for `spec`, or null if the spec is not emitted. */
export function fusedWasm(spec: FusedSpec): FusedRunner | null {
  if (!emits(spec)) return null;
  const bytes = moduleBytes([{ name: 'fused', body: fusedFunction(spec) }]);
  // identical specs (the same chain at the same size) share one module
  const key = bytes.join(',');
  let fn = compiled.get(key);
  if (fn === undefined) {
    try {
      fn = instantiateOnArena(bytes).fused as Exported;
    } catch {
      // a browser's main thread refuses to compile modules over 4 KB synchronously (a very
      // long chain): the JavaScript loop runs that spec
      return null;
    }
    compiled.set(key, fn);
  }
  const { vectorIns, scalarIns, outs: outCount } = inputKinds(spec);
  const args: number[] = [];
  const run = withArity(fn, vectorIns.length + outCount + scalarIns.length);
  return (ins, outs, inAt, outAt) => {
    let j = 0;
    for (const k of vectorIns) if ((args[j++] = inAt(ins[k]!)) < 0) return false;
    for (const o of outs) if ((args[j++] = outAt(o)) < 0) return false;
    for (const k of scalarIns) args[j++] = ins[k]!.data[0]!;
    run(args);
    return true;
  };
}

/**
 * Calls `fn` with the first `arity` numbers of an array: written out up to 8 arguments,
 * since a spread call into WebAssembly costs about 45 ns more, a fifth of a small fused
 * kernel's whole call.
 */
function withArity(fn: Exported, arity: number): (a: number[]) => void {
  switch (arity) {
    case 2:
      return (a) => fn(a[0]!, a[1]!);
    case 3:
      return (a) => fn(a[0]!, a[1]!, a[2]!);
    case 4:
      return (a) => fn(a[0]!, a[1]!, a[2]!, a[3]!);
    case 5:
      return (a) => fn(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!);
    case 6:
      return (a) => fn(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!);
    case 7:
      return (a) => fn(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!);
    case 8:
      return (a) => fn(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!);
    default:
      return (a) => fn(...a.slice(0, arity));
  }
}
