/** Creating tensors: from data, constant fills, ranges, identity, and seeded random draws. */
import type { Backend } from '../kernels/backend.js';
import { arrayFor, DTYPES, type DType, type TypedArray } from '../kernels/dtype.js';
import { fmtShape, sizeOf } from '../kernels/shape.js';
import { Rng, type RngState } from '../util/rng.js';
import { noteDraw } from './compile/hooks.js';
import { getDefaultBackend } from './default-backend.js';
import { assertShape } from './ops/helpers.js';
import { Tensor, type NestedArray } from './tensor.js';

export interface TensorOptions {
  dtype?: DType;
  requiresGrad?: boolean;
  name?: string;
  backend?: Backend;
}

/** Wraps freshly made host data (owned: the backend may keep the array) as a tensor. */
function finish(data: TypedArray, shape: number[], opts: TensorOptions, owned: boolean): Tensor {
  const backend = opts.backend ?? getDefaultBackend();
  const t = new Tensor(backend.upload(data, owned), shape, backend);
  if (opts.requiresGrad) t.requireGrad(true);
  if (opts.name !== undefined) t.name = opts.name;
  return t;
}

function checkDtype(dtype: DType): void {
  if (!DTYPES.includes(dtype))
    throw new TypeError(`unknown dtype '${String(dtype)}'; allowed: ${DTYPES.join(', ')}`);
}

/** Shape of a nested array, checking that it is rectangular and holds only numbers. */
function nestedShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0]!;
    if (cur === undefined) break;
  }
  return shape;
}

function flattenInto(
  data: NestedArray,
  shape: number[],
  depth: number,
  out: TypedArray,
  at: { i: number },
): void {
  if (depth === shape.length) {
    if (typeof data !== 'number')
      throw new TypeError(`tensor: expected a number at depth ${depth}, got ${typeof data}`);
    out[at.i++] = data;
    return;
  }
  if (!Array.isArray(data) || data.length !== shape[depth]) {
    throw new TypeError(`tensor: ragged nested array (expected length ${shape[depth]} at depth ${depth})`);
  }
  for (const d of data) flattenInto(d, shape, depth + 1, out, at);
}

/**
 * A tensor from a number, a nested array, or a typed array (copied; `shape` gives its
 * shape, default 1-D). The dtype follows a typed array's type, else float32.
 */
export function tensor(
  data: NestedArray | TypedArray,
  opts: TensorOptions & { shape?: number[] } = {},
): Tensor {
  if (ArrayBuffer.isView(data)) {
    const dtype =
      opts.dtype ??
      (data instanceof Float64Array ? 'float64' : data instanceof Int32Array ? 'int32' : 'float32');
    checkDtype(dtype);
    const shape = opts.shape ?? [data.length];
    assertShape('tensor', shape);
    if (sizeOf(shape) !== data.length)
      throw new RangeError(`tensor: ${data.length} values do not fill shape ${fmtShape(shape)}`);
    const arr = arrayFor(dtype, data.length);
    arr.set(data);
    return finish(arr, shape, opts, true);
  }
  const dtype = opts.dtype ?? 'float32';
  checkDtype(dtype);
  const shape = nestedShape(data);
  const arr = arrayFor(dtype, sizeOf(shape));
  flattenInto(data, shape, 0, arr, { i: 0 });
  if (opts.shape && sizeOf(opts.shape) === arr.length) return finish(arr, opts.shape, opts, true);
  return finish(arr, shape, opts, true);
}

export function full(shape: readonly number[], value: number, opts: TensorOptions = {}): Tensor {
  assertShape('full', shape);
  const dtype = opts.dtype ?? 'float32';
  checkDtype(dtype);
  const backend = opts.backend ?? getDefaultBackend();
  const t = new Tensor(backend.fill(dtype, sizeOf(shape), value), shape.slice(), backend);
  if (opts.requiresGrad) t.requireGrad(true);
  if (opts.name !== undefined) t.name = opts.name;
  return t;
}

export const zeros = (shape: readonly number[], opts: TensorOptions = {}): Tensor => full(shape, 0, opts);
export const ones = (shape: readonly number[], opts: TensorOptions = {}): Tensor => full(shape, 1, opts);

export function zerosLike(x: Tensor, opts: TensorOptions = {}): Tensor {
  return full(x.shape, 0, { dtype: x.dtype, backend: x.backend, ...opts });
}
export function onesLike(x: Tensor, opts: TensorOptions = {}): Tensor {
  return full(x.shape, 1, { dtype: x.dtype, backend: x.backend, ...opts });
}

/** arange(stop) or arange(start, stop, step): [start, stop) in steps. */
export function arange(start: number, stop?: number, step = 1, opts: TensorOptions = {}): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0 || !Number.isFinite(step))
    throw new RangeError(`arange: step must be finite and non-zero, got ${step}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const arr = arrayFor(opts.dtype ?? 'float32', n);
  for (let i = 0; i < n; i++) arr[i] = start + i * step;
  return finish(arr, [n], opts, true);
}

/** n×m identity (m defaults to n). */
export function eye(n: number, m = n, opts: TensorOptions = {}): Tensor {
  assertShape('eye', [n, m]);
  const arr = arrayFor(opts.dtype ?? 'float32', n * m);
  for (let i = 0; i < Math.min(n, m); i++) arr[i * m + i] = 1;
  return finish(arr, [n, m], opts, true);
}

/**
 * A seeded generator that draws tensors: same seed, same numbers on every machine
 * (the draws happen on the host, then upload to the tensor's backend).
 */
export class Generator {
  readonly rng: Rng;
  constructor(seed: number | Rng = 0) {
    this.rng = seed instanceof Rng ? seed : new Rng(seed);
  }
  private draw(
    shape: readonly number[],
    opts: TensorOptions,
    fill: (a: Float32Array | Float64Array) => void,
  ): Tensor {
    assertShape('random', shape);
    const dtype = opts.dtype ?? 'float32';
    if (dtype === 'int32')
      throw new TypeError('random: draws are float32 or float64; use randint for indices');
    const arr = arrayFor(dtype, sizeOf(shape)) as Float32Array | Float64Array;
    fill(arr);
    noteDraw(fill as (a: TypedArray) => void); // a compiled replay draws again, same stream
    return finish(arr, shape.slice(), opts, true);
  }
  /** Standard normal draws (times std, plus mean). */
  randn(shape: readonly number[], opts: TensorOptions & { mean?: number; std?: number } = {}): Tensor {
    return this.draw(shape, opts, (a) => this.rng.fillNormal(a, opts.mean ?? 0, opts.std ?? 1));
  }
  /** Uniform draws in [0, 1). */
  rand(shape: readonly number[], opts: TensorOptions = {}): Tensor {
    return this.draw(shape, opts, (a) => this.rng.fillUniform(a, 0, 1));
  }
  /** Uniform draws in [low, high). */
  uniform(shape: readonly number[], low = 0, high = 1, opts: TensorOptions = {}): Tensor {
    return this.draw(shape, opts, (a) => this.rng.fillUniform(a, low, high));
  }
  /** Integers uniform in [0, n) as an int32 tensor. */
  randint(shape: readonly number[], n: number, opts: Omit<TensorOptions, 'dtype'> = {}): Tensor {
    assertShape('randint', shape);
    const arr = new Int32Array(sizeOf(shape));
    const fill = (a: TypedArray): void => {
      for (let i = 0; i < a.length; i++) a[i] = this.rng.int(n);
    };
    fill(arr);
    noteDraw(fill);
    return finish(arr, shape.slice(), opts, true);
  }
  /** An independent generator for a named purpose (env, init, exploration, ...). */
  fork(name = ''): Generator {
    return new Generator(this.rng.fork(name));
  }
  getState(): RngState {
    return this.rng.getState();
  }
  setState(s: RngState): void {
    this.rng.setState(s);
  }
}

/** A seeded tensor generator: `rng(0).randn([2, 3])`. */
export function rng(seed = 0): Generator {
  return new Generator(seed);
}

export function randn(shape: readonly number[], gen: Generator, opts: TensorOptions = {}): Tensor {
  return gen.randn(shape, opts);
}
export function rand(shape: readonly number[], gen: Generator, opts: TensorOptions = {}): Tensor {
  return gen.rand(shape, opts);
}
export function uniform(
  shape: readonly number[],
  low: number,
  high: number,
  gen: Generator,
  opts: TensorOptions = {},
): Tensor {
  return gen.uniform(shape, low, high, opts);
}
