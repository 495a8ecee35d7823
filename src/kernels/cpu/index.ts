/**
 * The CPU backend: typed arrays on the JavaScript heap, kernels run eagerly. It is the
 * reference every other backend is checked against, and float64 here is what gradcheck uses.
 */
import type {
  Activation,
  AdamHyper,
  Backend,
  BinaryOp,
  CompareOp,
  ReduceOp,
  Storage,
  UnaryOp,
} from '../backend.js';
import { arrayFor, type DType, type TypedArray } from '../dtype.js';
import { reducedShape, sizeOf, type Shape } from '../shape.js';
import { binaryKernel, unaryKernel, whereKernel } from './elementwise.js';
import { activationGradKernel, linearKernel, matmulKernel } from './matmul.js';
import {
  concatKernel,
  gatherKernel,
  scatterAddKernel,
  scatterStridedKernel,
  stridedKernel,
} from './movement.js';
import { adamKernel, axpyKernel } from './optim.js';
import { reduceKernel } from './reduce.js';
import { cpu, CpuStorage } from './storage.js';

function alive(s: Storage): TypedArray {
  const c = cpu(s);
  if (c.disposed) throw new Error('cpu backend: storage was disposed');
  return c.data;
}

function out(dtype: DType, size: number): CpuStorage {
  return new CpuStorage(arrayFor(dtype, size));
}

export class CpuBackend implements Backend {
  readonly name = 'cpu';
  readonly synchronous = true;

  upload(data: TypedArray, owned = false): Storage {
    return new CpuStorage(owned ? data : data.slice());
  }
  fill(dtype: DType, size: number, value: number): Storage {
    const s = out(dtype, size);
    if (value !== 0) s.data.fill(value);
    return s;
  }
  read(s: Storage): Promise<TypedArray> {
    return Promise.resolve(alive(s).slice());
  }
  readSync(s: Storage): TypedArray {
    return alive(s);
  }
  dispose(s: Storage): void {
    const c = cpu(s);
    c.disposed = true;
    c.data = arrayFor(c.dtype, 0);
  }
  sync(): Promise<void> {
    return Promise.resolve();
  }

  unary(op: UnaryOp, x: Storage): Storage {
    const X = alive(x);
    const o = out(x.dtype, X.length);
    unaryKernel(op)(X, o.data);
    return o;
  }
  binary(op: BinaryOp, a: Storage, aShape: Shape, b: Storage, bShape: Shape, outShape: Shape): Storage {
    const o = out(a.dtype, sizeOf(outShape));
    binaryKernel(op)(alive(a), alive(b), o.data, aShape, bShape, outShape);
    return o;
  }
  compare(op: CompareOp, a: Storage, aShape: Shape, b: Storage, bShape: Shape, outShape: Shape): Storage {
    const o = out(a.dtype, sizeOf(outShape));
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
    const o = out(a.dtype, sizeOf(outShape));
    whereKernel(alive(cond), condShape, alive(a), aShape, alive(b), bShape, o.data, outShape);
    return o;
  }
  cast(x: Storage, dtype: DType): Storage {
    const o = out(dtype, x.size);
    const X = alive(x);
    if (dtype === 'int32') for (let i = 0; i < X.length; i++) o.data[i] = Math.trunc(X[i]!);
    else o.data.set(X);
    return o;
  }

  reduce(op: ReduceOp, x: Storage, shape: Shape, axes: readonly number[]): Storage {
    const o = out(x.dtype, sizeOf(reducedShape(shape, axes)));
    reduceKernel(op, alive(x), shape, axes, o.data);
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
    const o = out(a.dtype, sizeOf(outShape));
    matmulKernel(alive(a), aShape, alive(b), bShape, transA, transB, o.data, outShape);
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
    const o = out(x.dtype, m * n);
    linearKernel(alive(x), alive(w), b ? alive(b) : null, o.data, m, k, n, act);
    return o;
  }
  activationGrad(act: Activation, y: Storage, g: Storage): Storage {
    const o = out(g.dtype, g.size);
    activationGradKernel(act, alive(y), alive(g), o.data);
    return o;
  }

  strided(x: Storage, outShape: Shape, strides: readonly number[], offset: number): Storage {
    const o = out(x.dtype, sizeOf(outShape));
    stridedKernel(alive(x), o.data, outShape, strides, offset);
    return o;
  }
  scatterStrided(
    x: Storage,
    xShape: Shape,
    outShape: Shape,
    strides: readonly number[],
    offset: number,
  ): Storage {
    const o = out(x.dtype, sizeOf(outShape));
    scatterStridedKernel(alive(x), xShape, o.data, strides, offset);
    return o;
  }
  concat(xs: readonly Storage[], shapes: readonly Shape[], axis: number, outShape: Shape): Storage {
    const o = out(xs[0]!.dtype, sizeOf(outShape));
    concatKernel(xs.map(alive), shapes, axis, o.data);
    return o;
  }
  gather(x: Storage, xShape: Shape, idx: Storage, axis: number, outShape: Shape): Storage {
    const o = out(x.dtype, sizeOf(outShape));
    gatherKernel(alive(x), xShape, alive(idx) as Int32Array, axis, o.data);
    return o;
  }
  scatterAdd(g: Storage, _gShape: Shape, idx: Storage, axis: number, outShape: Shape): Storage {
    const o = out(g.dtype, sizeOf(outShape));
    scatterAddKernel(alive(g), alive(idx) as Int32Array, axis, o.data, outShape);
    return o;
  }

  adamUpdate(p: Storage, g: Storage, m: Storage, v: Storage, h: AdamHyper): void {
    adamKernel(alive(p), alive(g), alive(m), alive(v), h);
  }
  axpy(p: Storage, x: Storage, alpha: number): void {
    axpyKernel(alive(p), alive(x), alpha);
  }
  assign(dst: Storage, src: Storage): void {
    alive(dst).set(alive(src));
  }
}

export const cpuBackend = new CpuBackend();
