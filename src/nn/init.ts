/**
 * Weight initializers. Each draws float64 values on the host from a seeded generator
 * (never Math.random), so the same seed gives the same weights on every machine and
 * backend; `initialize` then converts to the parameter's dtype and uploads.
 *
 * Weights are [in, out] (the fused linear kernel's layout): fan_in = the product of all
 * dimensions but the last, fan_out = the last. Orthogonal matrices have orthonormal
 * columns when in >= out (WᵀW = gain²·I) and orthonormal rows otherwise (WWᵀ = gain²·I).
 */
import { Generator } from '../autograd/creation.js';
import { getDefaultBackend } from '../autograd/default-backend.js';
import { Tensor } from '../autograd/tensor.js';
import type { Activation, Backend } from '../kernels/backend.js';
import { arrayFor, type FloatDType } from '../kernels/dtype.js';
import { fmtShape, sizeOf } from '../kernels/shape.js';
import { Rng } from '../util/rng.js';
import { checkNumber, checkOneOf } from './checks.js';

/** Values for a tensor of `shape`, row-major, drawn from `rng`. */
export type Initializer = (shape: readonly number[], rng: Rng) => Float64Array;
export type InitName = 'orthogonal' | 'glorotUniform' | 'zeros';
export const INIT_NAMES: readonly InitName[] = ['orthogonal', 'glorotUniform', 'zeros'];

/** A seed, an Rng, or a tensor Generator: all become an Rng. */
export type RngLike = Rng | Generator | number;

export function toRng(r: RngLike | undefined): Rng {
  if (r === undefined) return new Rng(0);
  if (typeof r === 'number') return new Rng(r);
  return r instanceof Generator ? r.rng : r;
}

/** [fan_in, fan_out] of a weight shape (at least 2-D). */
export function fans(shape: readonly number[], who: string): [number, number] {
  if (shape.length < 2)
    throw new RangeError(`${who}: needs a weight of at least 2 dimensions, got ${fmtShape(shape)}`);
  const out = shape[shape.length - 1]!;
  return [sizeOf(shape) / (out || 1), out];
}

/** The gain that keeps activations' variance stable through `act` (PyTorch's calculate_gain). */
export function gainFor(act: Activation): number {
  checkOneOf('gainFor', 'activation', act, ['none', 'tanh', 'relu', 'sigmoid']);
  return act === 'tanh' ? 5 / 3 : act === 'relu' ? Math.SQRT2 : 1;
}

export function constant(value: number): Initializer {
  checkNumber('constant', 'value', value);
  return (shape) => new Float64Array(sizeOf(shape)).fill(value);
}

export function zeros(): Initializer {
  return constant(0);
}

export function normal(opts: { mean?: number; std?: number } = {}): Initializer {
  const mean = checkNumber('normal', 'mean', opts.mean ?? 0);
  const std = checkNumber('normal', 'std', opts.std ?? 1, { min: 0 });
  return (shape, rng) => rng.fillNormal(new Float64Array(sizeOf(shape)), mean, std);
}

/** Uniform in ±gain·sqrt(6 / (fan_in + fan_out)) (Glorot & Bengio 2010). */
export function glorotUniform(opts: { gain?: number } = {}): Initializer {
  const gain = checkNumber('glorotUniform', 'gain', opts.gain ?? 1, { min: 0 });
  return (shape, rng) => {
    const [fanIn, fanOut] = fans(shape, 'glorotUniform');
    const limit = gain * Math.sqrt(6 / (fanIn + fanOut || 1));
    return rng.fillUniform(new Float64Array(sizeOf(shape)), -limit, limit);
  };
}
export const xavierUniform = glorotUniform;

/**
 * A (semi-)orthogonal matrix times gain (Saxe et al. 2014): the Q of a Householder QR
 * of a standard-normal matrix, with column signs fixed by R's diagonal so the result
 * is uniformly (Haar) distributed.
 */
export function orthogonal(opts: { gain?: number } = {}): Initializer {
  const gain = checkNumber('orthogonal', 'gain', opts.gain ?? 1);
  return (shape, rng) => {
    const [rows, cols] = fans(shape, 'orthogonal');
    const tall = rows >= cols;
    const r = tall ? rows : cols;
    const c = tall ? cols : rows;
    const q = orthonormalColumns(r, c, rng);
    const out = new Float64Array(rows * cols);
    for (let i = 0; i < r; i++)
      for (let j = 0; j < c; j++) {
        // q is r×c; a wide weight is its transpose
        out[tall ? i * cols + j : j * cols + i] = gain * q[i * c + j]!;
      }
    return out;
  };
}

/** An r×c (r >= c) matrix with orthonormal columns, row-major, from Householder QR of a normal draw. */
function orthonormalColumns(r: number, c: number, rng: Rng): Float64Array {
  const a = rng.fillNormal(new Float64Array(r * c));
  const vs: Float64Array[] = [];
  const signs = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    // Householder vector for column j below the diagonal: v = x + sign(x0)·|x|·e1
    const v = new Float64Array(r - j);
    let norm2 = 0;
    for (let i = j; i < r; i++) {
      v[i - j] = a[i * c + j]!;
      norm2 += v[i - j]! * v[i - j]!;
    }
    const norm = Math.sqrt(norm2);
    const s = v[0]! >= 0 ? 1 : -1;
    v[0] = v[0]! + s * norm;
    // H·x = -s·|x|·e1, so R[j][j] = -s·|x|; its sign fixes column j of Q
    signs[j] = norm === 0 ? 1 : -s;
    reflect(a, c, j, j, v);
    vs.push(v);
  }
  // Q = H0·H1·…·H(c-1) applied to the first c columns of the identity
  const q = new Float64Array(r * c);
  for (let j = 0; j < c; j++) q[j * c + j] = 1;
  for (let j = c - 1; j >= 0; j--) reflect(q, c, j, 0, vs[j]!);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) q[i * c + j] = q[i * c + j]! * signs[j]!;
  return q;
}

/** Applies H = I − 2vvᵀ/(vᵀv) to rows row0.. and columns col0.. of the row-major m (width c). */
function reflect(m: Float64Array, c: number, row0: number, col0: number, v: Float64Array): void {
  let vv = 0;
  for (let i = 0; i < v.length; i++) vv += v[i]! * v[i]!;
  if (vv === 0) return;
  for (let k = col0; k < c; k++) {
    let dot = 0;
    for (let i = 0; i < v.length; i++) dot += v[i]! * m[(row0 + i) * c + k]!;
    const f = (2 * dot) / vv;
    for (let i = 0; i < v.length; i++) m[(row0 + i) * c + k] = m[(row0 + i) * c + k]! - f * v[i]!;
  }
}

export function resolveInit(init: Initializer | InitName, who: string): Initializer {
  if (typeof init === 'function') return init;
  switch (checkOneOf(who, 'init', init, INIT_NAMES)) {
    case 'orthogonal':
      return orthogonal();
    case 'glorotUniform':
      return glorotUniform();
    case 'zeros':
      return zeros();
  }
}

export interface InitializeOptions {
  rng?: RngLike;
  dtype?: FloatDType;
  backend?: Backend;
  requiresGrad?: boolean;
  name?: string;
}

/** A new tensor of `shape` filled by `init` (drawn in float64, then converted to the dtype). */
export function initialize(
  init: Initializer | InitName,
  shape: readonly number[],
  opts: InitializeOptions = {},
): Tensor {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new TypeError(
      `initialize: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`,
    );
  }
  const dtype = checkOneOf('initialize', 'dtype', opts.dtype ?? 'float32', ['float32', 'float64']);
  const values = resolveInit(init, 'initialize')(shape, toRng(opts.rng));
  if (values.length !== sizeOf(shape)) {
    throw new RangeError(
      `initialize: the initializer returned ${values.length} values for shape ${fmtShape(shape)}`,
    );
  }
  const data = dtype === 'float64' ? values : arrayFor(dtype, values.length);
  if (data !== values) data.set(values);
  const backend = opts.backend ?? getDefaultBackend();
  const t = new Tensor(backend.upload(data, true), shape.slice(), backend);
  if (opts.requiresGrad) t.requireGrad(true);
  if (opts.name !== undefined) t.name = opts.name;
  return t;
}
