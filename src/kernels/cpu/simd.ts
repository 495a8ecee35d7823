/**
 * The float32 kernels that run as WebAssembly SIMD (kernels.wasm, sources in
 * wasm/assembly/): matmul in every transpose variant, the fused linear layer, the
 * activation gradient, tanh, same-shape add/sub/mul/div and sums over leading axes.
 * Each takes arena-resident storages (the caller checks `simdReady`) and passes byte
 * offsets, so no data moves between JavaScript and WebAssembly.
 */
import type { Activation, BinaryOp } from '../backend.js';
import type { Shape } from '../shape.js';
import { forEachMatrix, productDims } from './matmul.js';
import type { CpuStorage } from './storage.js';
import type { Arena } from './wasm/arena.js';
import { kernelModule, type KernelExports } from './wasm/module.js';

export const ACTIVATION_CODES: Record<Activation, number> = { none: 0, tanh: 1, relu: 2, sigmoid: 3 };
/** Binary ops with a SIMD kernel (same-shape operands), by the kernel's op code. */
export const SIMD_BINARY: Partial<Record<BinaryOp, number>> = { add: 0, sub: 1, mul: 2, div: 3 };

/**
 * Default for the smallest float32 tensor put in the arena. Smaller ones stay on the
 * JavaScript heap: registering an arena block for garbage collection costs about 0.6 µs,
 * more than a small op's whole work. The SIMD kernels copy such small operands through
 * a scratch block of the arena.
 */
export const ARENA_MIN_ELEMENTS = 256;

export class SimdKernels {
  private readonly k: KernelExports = kernelModule();
  /** Scratch blocks of the current call (staged small inputs), released by done(). */
  private readonly staged: [number, number][] = [];
  constructor(
    private readonly arena: Arena,
    /** float32 tensors with fewer elements live on the heap (and are staged by copying) */
    readonly minElements: number,
  ) {}

  /** An operand the kernels can address: an arena block, or small enough to stage by copying. */
  private addressable(s: CpuStorage | null | undefined): boolean {
    return s == null || s.arena !== null || (s.dtype === 'float32' && s.size < this.minElements);
  }

  /**
   * True when every operand is addressable and one is in the arena (operands all small
   * and on the heap run the plain loops: staging would cost more than it saves).
   */
  ready(o: CpuStorage, a: CpuStorage, b?: CpuStorage | null, c?: CpuStorage | null): boolean {
    const some =
      o.arena !== null ||
      a.arena !== null ||
      (b != null && b.arena !== null) ||
      (c != null && c.arena !== null);
    return some && this.addressable(o) && this.addressable(a) && this.addressable(b) && this.addressable(c);
  }

  /** The byte offset of s in the arena, copying a small heap input into a scratch block. */
  private at(s: CpuStorage): number {
    if (s.arena !== null) return s.ptr;
    const ptr = this.arena.alloc(s.size * 4);
    if (ptr < 0) throw new Error('cpu backend: the WebAssembly arena is full');
    new Float32Array(this.arena.buffer, ptr, s.size).set(s.data);
    this.staged.push([ptr, s.size * 4]);
    return ptr;
  }

  /** Where the kernel writes o: its block, or a scratch block copied back by done(o). */
  private outAt(o: CpuStorage): number {
    if (o.arena !== null) return o.ptr;
    const ptr = this.arena.alloc(o.size * 4);
    if (ptr < 0) throw new Error('cpu backend: the WebAssembly arena is full');
    this.staged.push([ptr, o.size * 4]);
    return ptr;
  }

  /** Copies a staged output back to the heap and releases the call's scratch blocks. */
  private done(o: CpuStorage, oPtr: number): void {
    if (o.arena === null) (o.data as Float32Array).set(new Float32Array(this.arena.buffer, oPtr, o.size));
    for (const [ptr, bytes] of this.staged) this.arena.release(ptr, bytes);
    this.staged.length = 0;
  }

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
    // a transposed B is packed to [k, n] first; the scratch block is reused across batches
    const scratch = transB ? this.arena.alloc(k * n * 4) : 0;
    if (scratch < 0) return false; // arena full: the caller runs the plain loops
    const ta = transA ? 1 : 0;
    const tb = transB ? 1 : 0;
    const ap = this.at(a);
    const bp = this.at(b);
    const cp = this.outAt(c);
    forEachMatrix(aShape, bShape, outShape, (ao, bo, co) =>
      this.k.gemm(ap + ao * 4, bp + bo * 4, cp + co * 4, m, n, k, ta, tb, scratch),
    );
    if (transB) this.arena.release(scratch, k * n * 4);
    this.done(c, cp);
    return true;
  }

  linear(
    x: CpuStorage,
    w: CpuStorage,
    bias: CpuStorage | null,
    o: CpuStorage,
    m: number,
    k: number,
    n: number,
    act: Activation,
  ): void {
    const op = this.outAt(o);
    this.k.linear(this.at(x), this.at(w), bias ? this.at(bias) : 0, op, m, k, n, ACTIVATION_CODES[act]);
    this.done(o, op);
  }

  activationGrad(act: Activation, y: CpuStorage, g: CpuStorage, o: CpuStorage): void {
    const op = this.outAt(o);
    this.k.activationGrad(ACTIVATION_CODES[act], this.at(y), this.at(g), op, o.size);
    this.done(o, op);
  }

  tanh(x: CpuStorage, o: CpuStorage): void {
    const op = this.outAt(o);
    this.k.tanh(this.at(x), op, o.size);
    this.done(o, op);
  }

  binary(code: number, a: CpuStorage, b: CpuStorage, o: CpuStorage): void {
    const op = this.outAt(o);
    this.k.binary(code, this.at(a), this.at(b), op, o.size);
    this.done(o, op);
  }

  /** o[n] = Σ over the m leading rows of x viewed as [m, n]. */
  sumRows(x: CpuStorage, o: CpuStorage, m: number, n: number): void {
    const op = this.outAt(o);
    this.k.sumRows(this.at(x), op, m, n);
    this.done(o, op);
  }
}

/** For a sum over `axes` that are exactly the leading axes: [rows, cols] of the 2-D view, else null. */
export function leadingSum(shape: Shape, axes: readonly number[]): [number, number] | null {
  for (let i = 0; i < axes.length; i++) if (axes[i] !== i) return null;
  let rows = 1;
  let cols = 1;
  for (let i = 0; i < shape.length; i++) {
    if (i < axes.length) rows *= shape[i]!;
    else cols *= shape[i]!;
  }
  return [rows, cols];
}
