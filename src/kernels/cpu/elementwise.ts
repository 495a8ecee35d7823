/**
 * Elementwise CPU kernels. Each op is one scalar expression; loops are generated once
 * per op with `new Function`, so the expression is inlined into a monomorphic loop
 * (a shared loop calling per-op closures would be megamorphic and several times slower).
 */
import type { BinaryOp, CompareOp, UnaryOp } from '../backend.js';
import type { TypedArray } from '../dtype.js';
import { broadcastStrides, shapesEqual, type Shape } from '../shape.js';
import { stridedLoop } from './strided-loop.js';

/** Scalar expressions in `x` (unary) or `a`, `b` (binary). */
export const UNARY_EXPR: Record<UnaryOp, string> = {
  neg: '-x',
  exp: 'Math.exp(x)',
  log: 'Math.log(x)',
  sqrt: 'Math.sqrt(x)',
  tanh: 'Math.tanh(x)',
  relu: 'x < 0 ? 0 : x', // NaN passes through
  // stable forms: no overflow of exp for large |x|
  sigmoid: 'x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))',
  softplus: 'x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))',
  abs: 'Math.abs(x)',
  sign: 'x > 0 ? 1 : x < 0 ? -1 : x',
  square: 'x * x',
  reciprocal: '1 / x',
};

export const BINARY_EXPR: Record<BinaryOp | CompareOp, string> = {
  add: 'a + b',
  sub: 'a - b',
  mul: 'a * b',
  div: 'a / b',
  pow: 'Math.pow(a, b)',
  // NaN-propagating, like NumPy's maximum/minimum
  maximum: 'a > b || a !== a ? a : b',
  minimum: 'a < b || a !== a ? a : b',
  lt: 'a < b ? 1 : 0',
  le: 'a <= b ? 1 : 0',
  gt: 'a > b ? 1 : 0',
  ge: 'a >= b ? 1 : 0',
  eq: 'a === b ? 1 : 0',
  ne: 'a !== b ? 1 : 0',
};

type UnaryFn = (x: TypedArray, out: TypedArray) => void;
type BinaryFn = (
  a: TypedArray,
  b: TypedArray,
  out: TypedArray,
  aShape: Shape,
  bShape: Shape,
  outShape: Shape,
) => void;

const unaryCache = new Map<string, UnaryFn>();
const binaryCache = new Map<string, BinaryFn>();

export function unaryKernel(op: UnaryOp): UnaryFn {
  let f = unaryCache.get(op);
  if (!f) {
    f = new Function(
      'X',
      'O',
      `for (let i = 0, n = O.length; i < n; i++) { const x = X[i]; O[i] = ${UNARY_EXPR[op]}; }`,
    ) as UnaryFn;
    unaryCache.set(op, f);
  }
  return f;
}

export function binaryKernel(op: BinaryOp | CompareOp): BinaryFn {
  let f = binaryCache.get(op);
  if (!f) {
    const e = BINARY_EXPR[op];
    const same = new Function(
      'A',
      'B',
      'O',
      `for (let i = 0, n = O.length; i < n; i++) { const a = A[i], b = B[i]; O[i] = ${e}; }`,
    );
    const scalarB = new Function(
      'A',
      'B',
      'O',
      `const b = B[0]; for (let i = 0, n = O.length; i < n; i++) { const a = A[i]; O[i] = ${e}; }`,
    );
    const scalarA = new Function(
      'A',
      'B',
      'O',
      `const a = A[0]; for (let i = 0, n = O.length; i < n; i++) { const b = B[i]; O[i] = ${e}; }`,
    );
    const inner = new Function(
      'A',
      'B',
      'O',
      `return (n, o0, s0, o1, s1, o2, s2) => { for (let i = 0; i < n; i++) { const a = A[o1], b = B[o2]; O[o0] = ${e}; o0 += s0; o1 += s1; o2 += s2; } };`,
    );
    f = (A, B, O, aShape, bShape, outShape) => {
      if (A.length === O.length && B.length === O.length && shapesEqual(aShape, bShape)) same(A, B, O);
      else if (B.length === 1 && A.length === O.length) scalarB(A, B, O);
      else if (A.length === 1 && B.length === O.length) scalarA(A, B, O);
      else {
        const outSt = broadcastStrides(outShape, outShape);
        stridedLoop(
          outShape,
          outSt,
          broadcastStrides(aShape, outShape),
          broadcastStrides(bShape, outShape),
          0,
          0,
          0,
          inner(A, B, O),
        );
      }
    };
    binaryCache.set(op, f);
  }
  return f;
}

/** out = cond != 0 ? a : b with broadcasting; the output is contiguous, so a counter indexes it. */
export function whereKernel(
  C: TypedArray,
  cShape: Shape,
  A: TypedArray,
  aShape: Shape,
  B: TypedArray,
  bShape: Shape,
  O: TypedArray,
  outShape: Shape,
): void {
  let k = 0;
  stridedLoop(
    outShape,
    broadcastStrides(cShape, outShape),
    broadcastStrides(aShape, outShape),
    broadcastStrides(bShape, outShape),
    0,
    0,
    0,
    (n, oc, sc, oa, sa, ob, sb) => {
      for (let i = 0; i < n; i++) {
        O[k++] = C[oc] !== 0 ? A[oa]! : B[ob]!;
        oc += sc;
        oa += sa;
        ob += sb;
      }
    },
  );
}
