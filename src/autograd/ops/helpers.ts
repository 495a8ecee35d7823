/** Checks and conversions every op shares. */
import { isFloat, type DType } from '../../kernels/dtype.js';
import { broadcastShapes, fmtShape, sizeOf, type Shape } from '../../kernels/shape.js';
import { Tensor } from '../tensor.js';

export type TensorLike = Tensor | number;

export function assertTensor(op: string, x: unknown, what = 'input'): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: ${what} must be a Tensor, got ${describe(x)}`);
  x.assertAlive(op);
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array (wrap it with tensor(...))';
  return typeof x;
}

/** A scalar constant with the dtype and backend of `like`. */
export function scalar(value: number, like: Tensor): Tensor {
  return new Tensor(like.backend.fill(like.dtype, 1, value), [], like.backend);
}

/** Brings two operands to tensors on one backend with one dtype, or throws naming the op. */
export function pair(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  if (typeof a === 'number') {
    assertTensor(op, b, 'second operand');
    return [scalar(a, b), b];
  }
  assertTensor(op, a, 'first operand');
  if (typeof b === 'number') return [a, scalar(b, a)];
  assertTensor(op, b, 'second operand');
  if (a.backend !== b.backend) {
    throw new TypeError(
      `${op}: operands live on different backends (${a.backend.name} and ${b.backend.name})`,
    );
  }
  if (a.dtype !== b.dtype) {
    throw new TypeError(
      `${op}: dtype mismatch (${a.dtype} and ${b.dtype}); cast one with .cast('${a.dtype}')`,
    );
  }
  return [a, b];
}

export function broadcastOrThrow(op: string, a: Shape, b: Shape): number[] {
  const s = broadcastShapes(a, b);
  if (!s)
    throw new RangeError(`${op}: shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast together`);
  return s;
}

export function assertFloat(op: string, x: Tensor): void {
  if (!isFloat(x.dtype)) throw new TypeError(`${op}: needs a float tensor, got ${x.dtype}`);
}

export function assertShape(op: string, shape: unknown): asserts shape is number[] {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new TypeError(
      `${op}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`,
    );
  }
}

export function sameSize(op: string, shape: Shape, size: number): void {
  if (sizeOf(shape) !== size) {
    throw new RangeError(`${op}: cannot reshape ${size} elements into shape ${fmtShape(shape)}`);
  }
}

export type { DType };
