/**
 * The CPU backend: kernels run eagerly on the host. It is the reference every other
 * backend is checked against, and float64 here is what gradcheck uses.
 *
 * Two kernel sets: plain typed-array loops ('js', every dtype) and WebAssembly SIMD
 * ('simd', float32: matmul, linear, activationGrad, tanh, same-shape arithmetic, leading
 * sums). With 'simd', float32 storages of ARENA_MIN_ELEMENTS or more live in the
 * WebAssembly arena (wasm/arena.ts; SR2L_CPU_ARENA_MB caps it) so those kernels work in
 * place; every other kernel runs the plain loops on views of the same memory.
 * `SR2L_CPU_KERNELS=js|simd` forces a set; unset, SIMD is used where WebAssembly SIMD
 * works. `SR2L_PROFILE=1` times every kernel call (../profile.ts).
 */
import type {
  Activation,
  AdamHyper,
  Backend,
  BinaryOp,
  CompareOp,
  FusedSpec,
  ReduceOp,
  Storage,
  UnaryOp,
} from '../backend.js';
import { arrayFor, type DType, type TypedArray } from '../dtype.js';
import { reducedShape, shapesEqual, sizeOf, type Shape } from '../shape.js';
import { instrumentFromEnv } from '../profile.js';
import { binaryKernel, unaryKernel, whereKernel } from './elementwise.js';
import { fusedKernel, LOOP_FUSE_MAX_ELEMENTS } from './fused.js';
import { emits, fusedWasm } from './fused-wasm.js';
import { activationGradKernel, matmulKernel, productDims, stackedLinearKernel } from './matmul.js';
import {
  concatKernel,
  gatherKernel,
  scatterAddKernel,
  scatterStridedKernel,
  stridedKernel,
} from './movement.js';
import { adamKernel, axpyKernel } from './optim.js';
import { reduceKernel } from './reduce.js';
import { ARENA_MIN_ELEMENTS, blockSum, SIMD_BINARY, SimdKernels, SimdUpdates } from './simd.js';
import { cpu, CpuStorage } from './storage.js';
import { sharedArena } from './wasm/arena.js';
import { simdSupported } from './wasm/module.js';

export type CpuKernels = 'js' | 'simd';
export const CPU_KERNELS: readonly CpuKernels[] = ['js', 'simd'];

/** The kernel set named by SR2L_CPU_KERNELS, or the default (SIMD where it works). */
export function kernelsFromEnv(): CpuKernels {
  const v = globalThis.process?.env?.SR2L_CPU_KERNELS;
  if (v === undefined || v === '') return simdSupported() ? 'simd' : 'js';
  if (!(CPU_KERNELS as readonly string[]).includes(v))
    throw new RangeError(`SR2L_CPU_KERNELS='${v}' is not a kernel set; allowed: ${CPU_KERNELS.join(', ')}`);
  return v as CpuKernels;
}

function live(s: Storage): CpuStorage {
  const c = cpu(s);
  if (c.disposed) throw new Error('cpu backend: storage was disposed');
  return c;
}

function alive(s: Storage): TypedArray {
  return live(s).data;
}

export interface CpuBackendOptions {
  /** Which kernel set runs float32 work (default: SR2L_CPU_KERNELS, else SIMD where supported). */
  kernels?: CpuKernels;
  /** With SIMD: the smallest float32 tensor kept in the WebAssembly arena (default ARENA_MIN_ELEMENTS). */
  arenaMinElements?: number;
}

export class CpuBackend implements Backend {
  readonly name = 'cpu';
  readonly synchronous = true;
  readonly kernels: CpuKernels;
  private readonly simd: SimdKernels | null;
  private readonly updates: SimdUpdates | null;
  /** Generated loops per fused spec (specs are made once per compiled program). */
  private readonly fused = new WeakMap<FusedSpec, ReturnType<typeof fusedKernel>>();
  /** Generated WebAssembly SIMD functions per fused spec (null: not emitted, the loop runs). */
  private readonly fusedSimd = new WeakMap<FusedSpec, ReturnType<typeof fusedWasm>>();
  /** Set by writeNextInto: where the next kernel writes instead of a new storage. */
  private planned: CpuStorage | null = null;

  constructor(opts: CpuBackendOptions = {}) {
    this.kernels = opts.kernels ?? kernelsFromEnv();
    this.simd =
      this.kernels === 'simd'
        ? new SimdKernels(sharedArena(), opts.arenaMinElements ?? ARENA_MIN_ELEMENTS)
        : null;
    this.updates = this.simd !== null ? new SimdUpdates() : null;
    instrumentFromEnv(this); // SR2L_PROFILE=1: time every kernel call
  }

  /**
   * A new storage: float32 goes to the arena when SIMD kernels are on (falling back to
   * the heap if the arena is at its limit). Allocate outputs before taking views of
   * inputs: growing the arena detaches views taken earlier.
   */
  private out(dtype: DType, size: number): CpuStorage {
    const p = this.planned;
    if (p !== null) {
      this.planned = null;
      if (p.dtype !== dtype || p.size !== size)
        throw new Error(
          `cpu backend: the planned output is ${p.dtype}×${p.size}, the kernel makes ${dtype}×${size}`,
        );
      return p;
    }
    if (this.simd !== null && dtype === 'float32' && size >= this.simd.minElements) {
      const s = CpuStorage.inArena(sharedArena(), size);
      if (s !== null) return s;
    }
    return new CpuStorage(arrayFor(dtype, size));
  }

  fusedElementwise(spec: FusedSpec, ins: readonly Storage[], outs: readonly Storage[]): void {
    // the SIMD function where the unfused kernels would be SIMD (the `ready` size rule: the
    // same tanh); heap operands of such sizes (the arena at its limit) are staged
    if (this.simd !== null && spec.n >= this.simd.minElements) {
      let run = this.fusedSimd.get(spec);
      if (run === undefined) this.fusedSimd.set(spec, (run = fusedWasm(spec)));
      if (run !== null) {
        for (const s of ins) live(s);
        for (const s of outs) live(s);
        if (this.simd.fused(run, ins as CpuStorage[], outs as CpuStorage[])) return;
      }
    }
    let fn = this.fused.get(spec);
    if (fn === undefined) this.fused.set(spec, (fn = fusedKernel(spec)));
    // views taken after any allocation (none happens here), inputs then outputs
    fn(Math.fround, spec.n, ...ins.map(alive), ...outs.map(alive));
  }

  /** Generated SIMD functions pay at every size; JavaScript loops only where the unfused kernels are not SIMD. */
  fusionPays(spec: FusedSpec): boolean {
    return this.simd === null || emits(spec) || spec.n <= LOOP_FUSE_MAX_ELEMENTS;
  }

  writeNextInto(s: Storage): void {
    this.planned = live(s);
  }

  upload(data: TypedArray, owned = false): Storage {
    if (this.simd !== null && data instanceof Float32Array) {
      const s = this.out('float32', data.length);
      s.data.set(data);
      return s;
    }
    return new CpuStorage(owned ? data : data.slice());
  }
  fill(dtype: DType, size: number, value: number): Storage {
    const s = this.out(dtype, size);
    // heap arrays start zeroed; recycled arena blocks do not
    if (value !== 0 || s.arena !== null) s.data.fill(value);
    return s;
  }
  read(s: Storage): Promise<TypedArray> {
    return Promise.resolve(alive(s).slice());
  }
  /**
   * The storage's own data, not a copy. For an arena block it is a view of the
   * WebAssembly memory: valid until the next allocation on this backend (which may grow
   * the memory and detach it), so read it right away or copy it.
   */
  readSync(s: Storage): TypedArray {
    return alive(s);
  }
  dispose(s: Storage): void {
    cpu(s).release();
  }
  sync(): Promise<void> {
    return Promise.resolve();
  }

  unary(op: UnaryOp, x: Storage): Storage {
    const xs = live(x);
    const o = this.out(x.dtype, x.size);
    if (!(op === 'tanh' && this.simd !== null && this.simd.ready(o, xs) && this.simd.tanh(xs, o)))
      unaryKernel(op)(xs.data, o.data);
    return o;
  }
  binary(op: BinaryOp, a: Storage, aShape: Shape, b: Storage, bShape: Shape, outShape: Shape): Storage {
    const as = live(a);
    const bs = live(b);
    const o = this.out(a.dtype, sizeOf(outShape));
    const code = SIMD_BINARY[op];
    if (
      this.simd !== null &&
      code !== undefined &&
      this.simd.ready(o, as, bs) &&
      as.size === o.size &&
      bs.size === o.size &&
      shapesEqual(aShape, bShape) &&
      this.simd.binary(code, as, bs, o)
    )
      return o;
    binaryKernel(op)(as.data, bs.data, o.data, aShape, bShape, outShape);
    return o;
  }
  compare(op: CompareOp, a: Storage, aShape: Shape, b: Storage, bShape: Shape, outShape: Shape): Storage {
    const o = this.out(a.dtype, sizeOf(outShape));
    binaryKernel(op)(alive(a), alive(b), o.data, aShape, bShape, outShape);
    return o;
  }
  where(
    cond: Storage,
    condShape: Shape,
    a: Storage,
    aShape: Shape,
    b: Storage,
    bShape: Shape,
    outShape: Shape,
  ): Storage {
    const o = this.out(a.dtype, sizeOf(outShape));
    whereKernel(alive(cond), condShape, alive(a), aShape, alive(b), bShape, o.data, outShape);
    return o;
  }
  cast(x: Storage, dtype: DType): Storage {
    const o = this.out(dtype, x.size);
    const X = alive(x);
    if (dtype === 'int32') for (let i = 0; i < X.length; i++) o.data[i] = Math.trunc(X[i]!);
    else o.data.set(X);
    return o;
  }

  reduce(op: ReduceOp, x: Storage, shape: Shape, axes: readonly number[]): Storage {
    const xs = live(x);
    const o = this.out(x.dtype, sizeOf(reducedShape(shape, axes)));
    const rows = op === 'sum' && this.simd !== null && this.simd.ready(o, xs) ? blockSum(shape, axes) : null;
    if (!(rows !== null && this.simd!.sumRows(xs, o, rows[0], rows[1], rows[2])))
      reduceKernel(op, xs.data, shape, axes, o.data);
    return o;
  }

  matmul(
    a: Storage,
    aShape: Shape,
    b: Storage,
    bShape: Shape,
    transA: boolean,
    transB: boolean,
    outShape: Shape,
  ): Storage {
    const as = live(a);
    const bs = live(b);
    const o = this.out(a.dtype, sizeOf(outShape));
    const [m, n, k] = productDims(aShape, transA, outShape);
    // the kernel set is chosen by one matrix's sizes (for a 2-D product, the usual rule), so
    // each product of a batch rounds exactly as the same product alone: stacked networks rely on it
    const done =
      this.simd !== null &&
      this.simd.ready(o, as, bs) &&
      this.simd.takes(m * n, m * k, k * n) &&
      this.simd.matmul(as, aShape, bs, bShape, transA, transB, o, outShape);
    if (!done) matmulKernel(as.data, aShape, bs.data, bShape, transA, transB, o.data, outShape);
    return o;
  }
  linear(
    x: Storage,
    w: Storage,
    b: Storage | null,
    m: number,
    k: number,
    n: number,
    act: Activation,
  ): Storage {
    // one layer is a population of one: the same kernel choice and calls
    return this.fusedLinear(x, w, b, 1, m, k, n, act);
  }
  stackedLinear(
    x: Storage,
    w: Storage,
    b: Storage | null,
    s: number,
    m: number,
    k: number,
    n: number,
    act: Activation,
  ): Storage {
    return this.fusedLinear(x, w, b, s, m, k, n, act);
  }
  /** linear and stackedLinear (kept apart from both so profile mode times each call once) */
  private fusedLinear(
    x: Storage,
    w: Storage,
    b: Storage | null,
    s: number,
    m: number,
    k: number,
    n: number,
    act: Activation,
  ): Storage {
    const xs = live(x);
    const ws = live(w);
    const bs = b ? live(b) : null;
    const o = this.out(x.dtype, s * m * n);
    // the kernel set is chosen by one slice's sizes, so each slice is computed as that layer
    // alone is: SIMD and plain loops round differently, and slices must match single layers
    // bit for bit. The SIMD kernel declines (false) when scratch memory runs out: plain loops then
    const simd =
      this.simd !== null &&
      this.simd.ready(o, xs, ws, bs) &&
      this.simd.takes(m * n, m * k, k * n, bs ? n : 0) &&
      this.simd.stackedLinear(xs, ws, bs, o, s, m, k, n, act);
    if (!simd) stackedLinearKernel(xs.data, ws.data, bs ? bs.data : null, o.data, s, m, k, n, act);
    return o;
  }
  activationGrad(act: Activation, y: Storage, g: Storage): Storage {
    const ys = live(y);
    const gs = live(g);
    const o = this.out(g.dtype, g.size);
    if (!(this.simd !== null && this.simd.ready(o, ys, gs) && this.simd.activationGrad(act, ys, gs, o)))
      activationGradKernel(act, ys.data, gs.data, o.data);
    return o;
  }

  strided(x: Storage, outShape: Shape, strides: readonly number[], offset: number): Storage {
    const xs = live(x);
    const o = this.out(x.dtype, sizeOf(outShape));
    const slabs = rowSlabs(outShape, strides);
    if (slabs !== null && this.updates !== null && xs.arena !== null && o.arena !== null) {
      const { rows, cols, rowStride, offsets } = slabs;
      offsets.forEach((at, k) =>
        this.updates!.copyRows(xs, offset + at, o, k * rows * cols, rows, cols, rowStride, cols),
      );
    } else stridedKernel(xs.data, o.data, outShape, strides, offset);
    return o;
  }
  scatterStrided(
    x: Storage,
    xShape: Shape,
    outShape: Shape,
    strides: readonly number[],
    offset: number,
  ): Storage {
    const xs = live(x);
    const o = this.out(x.dtype, sizeOf(outShape));
    const slabs = rowSlabs(xShape, strides);
    if (slabs !== null && this.updates !== null && xs.arena !== null && o.arena !== null) {
      const { rows, cols, rowStride, offsets } = slabs;
      o.data.fill(0);
      offsets.forEach((at, k) =>
        this.updates!.copyRows(xs, k * rows * cols, o, offset + at, rows, cols, cols, rowStride),
      );
    } else scatterStridedKernel(xs.data, xShape, o.data, strides, offset);
    return o;
  }
  concat(xs: readonly Storage[], shapes: readonly Shape[], axis: number, outShape: Shape): Storage {
    const o = this.out(xs[0]!.dtype, sizeOf(outShape));
    const ins = xs.map(live);
    if (this.updates !== null && o.arena !== null && ins.every((s) => s.arena !== null)) {
      // each input is [outer, chunk] rows placed side by side in the output's rows
      const outer = sizeOf(outShape.slice(0, axis));
      const row = o.size / Math.max(outer, 1);
      let col = 0;
      ins.forEach((s) => {
        const chunk = s.size / Math.max(outer, 1);
        this.updates!.copyRows(s, 0, o, col, outer, chunk, chunk, row);
        col += chunk;
      });
      return o;
    }
    concatKernel(
      ins.map((s) => s.data),
      shapes,
      axis,
      o.data,
    );
    return o;
  }
  gather(x: Storage, xShape: Shape, idx: Storage, axis: number, outShape: Shape): Storage {
    const o = this.out(x.dtype, sizeOf(outShape));
    gatherKernel(alive(x), xShape, alive(idx) as Int32Array, axis, o.data);
    return o;
  }
  scatterAdd(g: Storage, _gShape: Shape, idx: Storage, axis: number, outShape: Shape): Storage {
    const o = this.out(g.dtype, sizeOf(outShape));
    scatterAddKernel(alive(g), alive(idx) as Int32Array, axis, o.data, outShape);
    return o;
  }

  adamUpdate(p: Storage, g: Storage, m: Storage, v: Storage, h: AdamHyper): void {
    const ps = live(p);
    const gs = live(g);
    const ms = live(m);
    const vs = live(v);
    if (!(this.updates !== null && this.updates.adam(ps, gs, ms, vs, h)))
      adamKernel(ps.data, gs.data, ms.data, vs.data, h);
  }
  axpy(p: Storage, x: Storage, alpha: number): void {
    const ps = live(p);
    const xs = live(x);
    if (!(this.updates !== null && this.updates.axpy(ps, xs, alpha))) axpyKernel(ps.data, xs.data, alpha);
  }
  assign(dst: Storage, src: Storage): void {
    alive(dst).set(alive(src));
  }
}

/**
 * A strided view whose last stride is 1 as row copies: slabs of [rows, cols] with rows
 * `rowStride` apart, one per index of the axes before the last two, starting at
 * `offsets` (elements). Null when the last stride is not 1.
 */
function rowSlabs(
  shape: Shape,
  strides: readonly number[],
): { rows: number; cols: number; rowStride: number; offsets: number[] } | null {
  const r = shape.length;
  if (r === 0 || strides[r - 1] !== 1) return null;
  if (r === 1) return { rows: 1, cols: shape[0]!, rowStride: 0, offsets: [0] };
  let offsets = [0];
  for (let d = 0; d < r - 2; d++) {
    const next: number[] = [];
    for (const at of offsets) for (let i = 0; i < shape[d]!; i++) next.push(at + i * strides[d]!);
    offsets = next;
  }
  return { rows: shape[r - 2]!, cols: shape[r - 1]!, rowStride: strides[r - 2]!, offsets };
}

export const cpuBackend = new CpuBackend();
