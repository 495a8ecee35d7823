/**
 * Matrix products on the host. One 2-D kernel per transpose variant, each with the loop
 * order that walks both operands contiguously, and 4-way unrolling so each load of the
 * output row is shared by four multiply-adds. Batched products loop the 2-D kernel over
 * the broadcast batch dimensions.
 */
import type { Activation } from '../backend.js';
import type { TypedArray } from '../dtype.js';
import { broadcastStrides, sizeOf, type Shape } from '../shape.js';

type Gemm = (
  A: TypedArray,
  ao: number,
  B: TypedArray,
  bo: number,
  C: TypedArray,
  co: number,
  m: number,
  n: number,
  k: number,
) => void;

/** C[m,n] = A[m,k] · B[k,n] (overwrites C). */
const gemmNN: Gemm = (A, ao, B, bo, C, co, m, n, k) => {
  for (let i = 0; i < m; i++) {
    const ci = co + i * n;
    const ai = ao + i * k;
    for (let j = 0; j < n; j++) C[ci + j] = 0;
    let p = 0;
    for (; p + 3 < k; p += 4) {
      const a0 = A[ai + p]!;
      const a1 = A[ai + p + 1]!;
      const a2 = A[ai + p + 2]!;
      const a3 = A[ai + p + 3]!;
      const b0 = bo + p * n;
      const b1 = b0 + n;
      const b2 = b1 + n;
      const b3 = b2 + n;
      for (let j = 0; j < n; j++) {
        C[ci + j] += a0 * B[b0 + j]! + a1 * B[b1 + j]! + a2 * B[b2 + j]! + a3 * B[b3 + j]!;
      }
    }
    for (; p < k; p++) {
      const a0 = A[ai + p]!;
      const b0 = bo + p * n;
      for (let j = 0; j < n; j++) C[ci + j] += a0 * B[b0 + j]!;
    }
  }
};

/** C[m,n] = A[m,k] · B[n,k]ᵀ: dot products of contiguous rows, four outputs at a time. */
const gemmNT: Gemm = (A, ao, B, bo, C, co, m, n, k) => {
  for (let i = 0; i < m; i++) {
    const ai = ao + i * k;
    const ci = co + i * n;
    let j = 0;
    for (; j + 3 < n; j += 4) {
      const b0 = bo + j * k;
      const b1 = b0 + k;
      const b2 = b1 + k;
      const b3 = b2 + k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let p = 0; p < k; p++) {
        const a = A[ai + p]!;
        s0 += a * B[b0 + p]!;
        s1 += a * B[b1 + p]!;
        s2 += a * B[b2 + p]!;
        s3 += a * B[b3 + p]!;
      }
      C[ci + j] = s0;
      C[ci + j + 1] = s1;
      C[ci + j + 2] = s2;
      C[ci + j + 3] = s3;
    }
    for (; j < n; j++) {
      const b0 = bo + j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += A[ai + p]! * B[b0 + p]!;
      C[ci + j] = s;
    }
  }
};

/** C[m,n] = A[k,m]ᵀ · B[k,n]: rank-1 updates, four rows of B per pass over C. */
const gemmTN: Gemm = (A, ao, B, bo, C, co, m, n, k) => {
  for (let q = 0; q < m * n; q++) C[co + q] = 0;
  let p = 0;
  for (; p + 3 < k; p += 4) {
    const a0r = ao + p * m;
    const b0 = bo + p * n;
    const b1 = b0 + n;
    const b2 = b1 + n;
    const b3 = b2 + n;
    for (let i = 0; i < m; i++) {
      const a0 = A[a0r + i]!;
      const a1 = A[a0r + m + i]!;
      const a2 = A[a0r + 2 * m + i]!;
      const a3 = A[a0r + 3 * m + i]!;
      const ci = co + i * n;
      for (let j = 0; j < n; j++) {
        C[ci + j] += a0 * B[b0 + j]! + a1 * B[b1 + j]! + a2 * B[b2 + j]! + a3 * B[b3 + j]!;
      }
    }
  }
  for (; p < k; p++) {
    const b0 = bo + p * n;
    for (let i = 0; i < m; i++) {
      const a0 = A[ao + p * m + i]!;
      const ci = co + i * n;
      for (let j = 0; j < n; j++) C[ci + j] += a0 * B[b0 + j]!;
    }
  }
};

/** C[m,n] = A[k,m]ᵀ · B[n,k]ᵀ (rare; plain index arithmetic). */
const gemmTT: Gemm = (A, ao, B, bo, C, co, m, n, k) => {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += A[ao + p * m + i]! * B[bo + j * k + p]!;
      C[co + i * n + j] = s;
    }
  }
};

export function gemm(transA: boolean, transB: boolean): Gemm {
  return transA ? (transB ? gemmTT : gemmTN) : transB ? gemmNT : gemmNN;
}

/** The sizes of a (batched) product: op(A) is [m, k], op(B) is [k, n]. */
export function productDims(aShape: Shape, transA: boolean, outShape: Shape): [number, number, number] {
  const r = outShape.length;
  const k = transA ? aShape[aShape.length - 2]! : aShape[aShape.length - 1]!;
  return [outShape[r - 2]!, outShape[r - 1]!, k];
}

/**
 * Calls `each(aOff, bOff, cOff)` with the element offsets of every 2-D product in a
 * batched matmul; broadcast batch dimensions repeat an operand's matrix.
 */
export function forEachMatrix(
  aShape: Shape,
  bShape: Shape,
  outShape: Shape,
  each: (aOff: number, bOff: number, cOff: number) => void,
): void {
  const r = outShape.length;
  const batchShape = outShape.slice(0, r - 2);
  const batches = sizeOf(batchShape);
  if (batches === 1) {
    each(0, 0, 0);
    return;
  }
  // Batch offsets in units of whole matrices; broadcast batch dims get stride 0.
  const aSt = broadcastStrides(aShape.slice(0, aShape.length - 2), batchShape);
  const bSt = broadcastStrides(bShape.slice(0, bShape.length - 2), batchShape);
  const aMat = aShape[aShape.length - 2]! * aShape[aShape.length - 1]!;
  const bMat = bShape[bShape.length - 2]! * bShape[bShape.length - 1]!;
  const cMat = outShape[r - 2]! * outShape[r - 1]!;
  const idx = new Array<number>(batchShape.length).fill(0);
  for (let t = 0; t < batches; t++) {
    let ai = 0;
    let bi = 0;
    for (let d = 0; d < idx.length; d++) {
      ai += idx[d]! * aSt[d]!;
      bi += idx[d]! * bSt[d]!;
    }
    each(ai * aMat, bi * bMat, t * cMat);
    for (let d = idx.length - 1; d >= 0; d--) {
      if (++idx[d]! < batchShape[d]!) break;
      idx[d] = 0;
    }
  }
}

export function matmulKernel(
  A: TypedArray,
  aShape: Shape,
  B: TypedArray,
  bShape: Shape,
  transA: boolean,
  transB: boolean,
  C: TypedArray,
  outShape: Shape,
): void {
  const [m, n, k] = productDims(aShape, transA, outShape);
  const g = gemm(transA, transB);
  forEachMatrix(aShape, bShape, outShape, (ao, bo, co) => g(A, ao, B, bo, C, co, m, n, k));
}

/** act(X·W + b) in place on the product. */
export function linearKernel(
  X: TypedArray,
  W: TypedArray,
  bias: TypedArray | null,
  O: TypedArray,
  m: number,
  k: number,
  n: number,
  act: Activation,
): void {
  gemmNN(X, 0, W, 0, O, 0, m, n, k);
  if (bias) {
    for (let i = 0; i < m; i++) {
      const oi = i * n;
      for (let j = 0; j < n; j++) O[oi + j] += bias[j]!;
    }
  }
  applyActivation(act, O);
}

/** Slice i of O = act(X[i]·W[i] + b[i]) for i < s, each by linearKernel on views. */
export function stackedLinearKernel(
  X: TypedArray,
  W: TypedArray,
  bias: TypedArray | null,
  O: TypedArray,
  s: number,
  m: number,
  k: number,
  n: number,
  act: Activation,
): void {
  for (let i = 0; i < s; i++) {
    const bi = bias ? bias.subarray(i * n, (i + 1) * n) : null;
    const xi = X.subarray(i * m * k, (i + 1) * m * k);
    const wi = W.subarray(i * k * n, (i + 1) * k * n);
    linearKernel(xi, wi, bi, O.subarray(i * m * n, (i + 1) * m * n), m, k, n, act);
  }
}

function applyActivation(act: Activation, O: TypedArray): void {
  const len = O.length;
  switch (act) {
    case 'none':
      return;
    case 'tanh':
      for (let i = 0; i < len; i++) O[i] = Math.tanh(O[i]!);
      return;
    case 'relu':
      for (let i = 0; i < len; i++) if (O[i]! < 0) O[i] = 0; // NaN passes through
      return;
    case 'sigmoid':
      for (let i = 0; i < len; i++) {
        const x = O[i]!;
        O[i] = x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
      }
      return;
  }
}

/** g · act'(z), written in terms of the activation's output y. */
const f32 = Math.fround;

export function activationGradKernel(act: Activation, Y: TypedArray, G: TypedArray, O: TypedArray): void {
  const len = O.length;
  switch (act) {
    case 'none':
      O.set(G);
      return;
    case 'tanh':
      if (O instanceof Float32Array)
        // float32: rounded after every operation, as the SIMD kernel computes it, so both
        // kernel sets give the same bits (a population's stacked [S, B, n] may take the
        // SIMD one where each member's [B, n] alone takes this loop)
        for (let i = 0; i < len; i++) {
          const y = Y[i]!;
          O[i] = G[i]! * f32(1 - f32(y * y));
        }
      else
        for (let i = 0; i < len; i++) {
          const y = Y[i]!;
          O[i] = G[i]! * (1 - y * y);
        }
      return;
    case 'relu':
      for (let i = 0; i < len; i++) O[i] = Y[i]! > 0 ? G[i]! : 0;
      return;
    case 'sigmoid':
      if (O instanceof Float32Array)
        for (let i = 0; i < len; i++) {
          const y = Y[i]!;
          O[i] = f32(G[i]! * y) * f32(1 - y);
        }
      else
        for (let i = 0; i < len; i++) {
          const y = Y[i]!;
          O[i] = G[i]! * y * (1 - y);
        }
      return;
  }
}
