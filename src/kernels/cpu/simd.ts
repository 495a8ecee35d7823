/**
 * The float32 kernels that run as WebAssembly SIMD (kernels.wasm, sources in
 * wasm/assembly/): matmul in every transpose variant, the fused linear layer, the
 * activation gradient, tanh, same-shape add/sub/mul/div, sums over leading axes, and
 * the in-place Adam and axpy updates, and row copies (concatenation, 2-D slices).
 * Each takes arena-resident storages (the caller checks `simdReady`) and passes byte
 * offsets, so no data moves between JavaScript and WebAssembly.
 */
import type { Activation, AdamHyper, BinaryOp } from '../backend.js';
import type { Shape } from '../shape.js';
import { forEachMatrix, productDims } from './matmul.js';
import type { CpuStorage } from './storage.js';
import type { Arena } from './wasm/arena.js';
import { kernelModule, type KernelExports } from './wasm/module.js';
import type { FusedRunner } from './fused-wasm.js';

export const ACTIVATION_CODES: Record<Activation, number> = { none: 0, tanh: 1, relu: 2, sigmoid: 3 };
/** Binary ops with a SIMD kernel (same-shape operands), by the kernel's op code. */
export const SIMD_BINARY: Partial<Record<BinaryOp, number>> = { add: 0, sub: 1, mul: 2, div: 3 };

/**
 * Default for the smallest float32 tensor put in the arena (and the smallest work the
 * SIMD kernels take). Smaller ones stay on the JavaScript heap: registering an arena
 * block for garbage collection costs about 0.6 µs, more than a small op's whole work.
 * The SIMD kernels copy such small operands through a scratch block of the arena.
 */
export const ARENA_MIN_ELEMENTS = 256;

export class SimdKernels {
  private readonly k: KernelExports = kernelModule();
  /**
   * Scratch blocks of the current call (staged small inputs, packed matrices) as pointer,
   * bytes, pointer, bytes, …, released by finish(): flat numbers, so a call allocates nothing.
   */
  private readonly staged: number[] = [];
  constructor(
    private readonly arena: Arena,
    /** float32 tensors with fewer elements live on the heap (and are staged by copying) */
    readonly minElements: number,
  ) {}

  /**
   * True when the SIMD kernels should run: every operand is float32 and one has at least
   * minElements elements. Operands on the heap (small ones, or any once the arena is at
   * its limit) are copied through scratch blocks; all-small work runs the plain loops.
   */
  ready(o: CpuStorage, a: CpuStorage, b?: CpuStorage | null, c?: CpuStorage | null): boolean {
    if (o.dtype !== 'float32' || a.dtype !== 'float32') return false;
    if (b != null && b.dtype !== 'float32') return false;
    if (c != null && c.dtype !== 'float32') return false;
    const min = this.minElements;
    return o.size >= min || a.size >= min || (b != null && b.size >= min) || (c != null && c.size >= min);
  }

  /**
   * Whether the SIMD kernels take work whose operands have these element counts: the size
   * rule of `ready`, applied to one slice of a stacked call so that each slice runs the
   * kernel set it would run alone.
   */
  takes(a: number, b: number, c: number, d = 0): boolean {
    const min = this.minElements;
    return a >= min || b >= min || c >= min || d >= min;
  }

  /** A scratch block for this call (released by finish), or -1 when memory cannot grow. */
  private scratch(bytes: number): number {
    const ptr = this.arena.allocScratch(bytes);
    if (ptr >= 0) this.staged.push(ptr, bytes);
    return ptr;
  }

  /** The byte offset of s in the arena, copying a heap operand into a scratch block (-1: no room). */
  private at(s: CpuStorage | null): number {
    if (s === null) return 0;
    if (s.arena !== null) return s.ptr;
    const ptr = this.scratch(s.size * 4);
    if (ptr >= 0) new Float32Array(this.arena.buffer, ptr, s.size).set(s.data);
    return ptr;
  }

  /** Where the kernel writes o: its own block, or a scratch block that finish() copies back. */
  private outAt(o: CpuStorage): number {
    return o.arena !== null ? o.ptr : this.scratch(o.size * 4);
  }

  /** Copies a staged output back to the heap (when the kernel ran) and releases the call's scratch. */
  private finish(o: CpuStorage, oPtr: number, ran: boolean): boolean {
    if (ran) this.copyBack(o, oPtr);
    this.releaseStaged();
    return ran;
  }

  /** An output on the heap gets what the kernel wrote to its scratch block at oPtr. */
  private copyBack(o: CpuStorage, oPtr: number): void {
    if (o.arena === null) (o.data as Float32Array).set(new Float32Array(this.arena.buffer, oPtr, o.size));
  }

  private releaseStaged(): void {
    // popped, not truncated: setting an array's length is a runtime call, slow per kernel
    const staged = this.staged;
    while (staged.length > 0) {
      const bytes = staged.pop()!;
      this.arena.releaseScratch(staged.pop()!, bytes);
    }
  }

  /**
   * A generated fused kernel (fused-wasm.ts) on arena operands in place and heap ones
   * staged through scratch blocks (outputs copied back), like the kernels below.
   */
  fused(run: FusedRunner, ins: readonly CpuStorage[], outs: readonly CpuStorage[]): boolean {
    this.outCount = 0;
    const ran = run(ins, outs, this.inAt, this.stagedOutAt);
    if (ran) for (let k = 0; k < outs.length; k++) this.copyBack(outs[k]!, this.outPtrs[k]!);
    this.releaseStaged();
    return ran;
  }

  // where fused kernels read and write, bound once: a call allocates no closures or lists
  private readonly inAt = (s: CpuStorage): number => this.at(s);
  private readonly outPtrs: number[] = [];
  private outCount = 0;
  private readonly stagedOutAt = (o: CpuStorage): number => (this.outPtrs[this.outCount++] = this.outAt(o));

  // Each kernel returns false (having done nothing) when scratch memory ran out; the
  // backend then runs the plain loops.

  matmul(
    a: CpuStorage,
    aShape: Shape,
    b: CpuStorage,
    bShape: Shape,
    transA: boolean,
    transB: boolean,
    c: CpuStorage,
    outShape: Shape,
  ): boolean {
    const [m, n, k] = productDims(aShape, transA, outShape);
    // a transposed B is packed to [k, n] first, into one scratch block reused across batches
    const packed = transB ? this.scratch(k * n * 4) : 0;
    const ap = this.at(a);
    const bp = this.at(b);
    const cp = this.outAt(c);
    if (packed < 0 || ap < 0 || bp < 0 || cp < 0) return this.finish(c, cp, false);
    const ta = transA ? 1 : 0;
    const tb = transB ? 1 : 0;
    // one matrix (every product of a single network's step) without the batch walk's closure
    if (outShape.length === 2) this.k.gemm(ap, bp, cp, m, n, k, ta, tb, packed);
    else
      forEachMatrix(aShape, bShape, outShape, (ao, bo, co) =>
        this.k.gemm(ap + ao * 4, bp + bo * 4, cp + co * 4, m, n, k, ta, tb, packed),
      );
    return this.finish(c, cp, true);
  }

  /** Slice i of o = act(x[i]·w[i] + b[i]) for i < s, each by the single-layer kernel. */
  stackedLinear(
    x: CpuStorage,
    w: CpuStorage,
    bias: CpuStorage | null,
    o: CpuStorage,
    s: number,
    m: number,
    k: number,
    n: number,
    act: Activation,
  ): boolean {
    const xp = this.at(x);
    const wp = this.at(w);
    const bp = this.at(bias);
    const op = this.outAt(o);
    if (xp < 0 || wp < 0 || bp < 0 || op < 0) return this.finish(o, op, false);
    const code = ACTIVATION_CODES[act];
    for (let i = 0; i < s; i++) {
      // byte offsets of slice i; a bias pointer of 0 means none
      const bi = bias ? bp + i * n * 4 : 0;
      this.k.linear(xp + i * m * k * 4, wp + i * k * n * 4, bi, op + i * m * n * 4, m, k, n, code);
    }
    return this.finish(o, op, true);
  }

  activationGrad(act: Activation, y: CpuStorage, g: CpuStorage, o: CpuStorage): boolean {
    const yp = this.at(y);
    const gp = this.at(g);
    const op = this.outAt(o);
    if (yp < 0 || gp < 0 || op < 0) return this.finish(o, op, false);
    this.k.activationGrad(ACTIVATION_CODES[act], yp, gp, op, o.size);
    return this.finish(o, op, true);
  }

  tanh(x: CpuStorage, o: CpuStorage): boolean {
    const xp = this.at(x);
    const op = this.outAt(o);
    if (xp < 0 || op < 0) return this.finish(o, op, false);
    this.k.tanh(xp, op, o.size);
    return this.finish(o, op, true);
  }

  binary(code: number, a: CpuStorage, b: CpuStorage, o: CpuStorage): boolean {
    const ap = this.at(a);
    const bp = this.at(b);
    const op = this.outAt(o);
    if (ap < 0 || bp < 0 || op < 0) return this.finish(o, op, false);
    this.k.binary(code, ap, bp, op, o.size);
    return this.finish(o, op, true);
  }

  /** For each of `outer` blocks: o[n] = Σ over the m rows of x's block viewed as [m, n]. */
  sumRows(x: CpuStorage, o: CpuStorage, outer: number, m: number, n: number): boolean {
    const xp = this.at(x);
    const op = this.outAt(o);
    if (xp < 0 || op < 0) return this.finish(o, op, false);
    for (let i = 0; i < outer; i++) this.k.sumRows(xp + i * m * n * 4, op + i * n * 4, m, n);
    return this.finish(o, op, true);
  }
}

/**
 * In-place updates and copies run only on arena-resident operands (256 elements or
 * more): staging would copy every operand in and back out, and the small ones (biases)
 * are cheap in the plain loops.
 */
export class SimdUpdates {
  private readonly k: KernelExports = kernelModule();

  /** Adam on p, m, v with gradient g; false (nothing done) when an operand is off the arena. */
  adam(p: CpuStorage, g: CpuStorage, m: CpuStorage, v: CpuStorage, h: AdamHyper): boolean {
    if (p.arena === null || g.arena === null || m.arena === null || v.arena === null) return false;
    const { lr, beta1, beta2, eps, weightDecay, step } = h;
    // the bias corrections as the plain loop computes them
    const c1 = 1 - Math.pow(beta1, step);
    const c2 = 1 - Math.pow(beta2, step);
    this.k.adam(p.ptr, g.ptr, m.ptr, v.ptr, p.size, lr, beta1, beta2, eps, weightDecay, c1, c2);
    return true;
  }

  /** p += alpha·x; false when an operand is off the arena. */
  axpy(p: CpuStorage, x: CpuStorage, alpha: number): boolean {
    if (p.arena === null || x.arena === null) return false;
    this.k.axpy(p.ptr, x.ptr, p.size, alpha);
    return true;
  }

  /**
   * Row copies between arena blocks, o[oAt + r·oStride + c] = x[xAt + r·xStride + c]
   * (element offsets and strides); false when x or o is off the arena.
   */
  copyRows(
    x: CpuStorage,
    xAt: number,
    o: CpuStorage,
    oAt: number,
    rows: number,
    cols: number,
    xStride: number,
    oStride: number,
  ): boolean {
    if (x.arena === null || o.arena === null) return false;
    this.k.copyRows(x.ptr + xAt * 4, o.ptr + oAt * 4, rows, cols, xStride, oStride);
    return true;
  }
}

/**
 * For a sum over `axes` as row sums: [outer, rows, cols] for a run of consecutive axes
 * that leaves the last axis (a bias gradient, [B, n] summed over B, or a stacked one,
 * [S, B, n] summed over B), else null. The plain loop adds those in the same order
 * with a float32 rounding per add, so both kernels give the same bits. Sums that reduce
 * the last axis accumulate in double on the plain loop, whatever the leading axes: so a
 * vector's sum ([B] over B, a single run's mean loss) and each row's of a stack ([S, B]
 * over B, a population's per-member means) round alike, at every size.
 */
export function blockSum(shape: Shape, axes: readonly number[]): [number, number, number] | null {
  const a = axes[0] ?? 0;
  for (let i = 1; i < axes.length; i++) if (axes[i] !== a + i) return null;
  const b = a + axes.length; // first axis after the run
  if (b >= shape.length) return null;
  let outer = 1;
  let rows = 1;
  let cols = 1;
  for (let i = 0; i < shape.length; i++) {
    if (i < a) outer *= shape[i]!;
    else if (i < b) rows *= shape[i]!;
    else cols *= shape[i]!;
  }
  return [outer, rows, cols];
}
