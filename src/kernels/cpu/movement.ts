/** Copies that move data: strided gather/scatter, concatenation, indexed gather/scatter-add. */
import type { TypedArray } from '../dtype.js';
import { sizeOf, type Shape } from '../shape.js';
import { stridedLoop } from './strided-loop.js';

const none: number[] = [];

export function stridedKernel(
  X: TypedArray,
  O: TypedArray,
  outShape: Shape,
  strides: readonly number[],
  offset: number,
): void {
  // one element broadcast everywhere (the backward of a full reduction, e.g. mean)
  if (strides.every((s) => s === 0)) {
    if (O.length > 0) O.fill(X[offset]!);
    return;
  }
  if (outShape.length === 2) {
    // the common case (a slice of a batch): two plain loops, no callback per row
    const [rows, cols] = outShape as [number, number];
    const [rs, cs] = strides as [number, number];
    for (let r = 0, k = 0; r < rows; r++) {
      let o = offset + r * rs;
      for (let c = 0; c < cols; c++, o += cs) O[k++] = X[o]!;
    }
    return;
  }
  let k = 0;
  stridedLoop(outShape, strides, none, none, offset, 0, 0, (n, o, s) => {
    for (let i = 0; i < n; i++, o += s) O[k++] = X[o]!;
  });
}

export function scatterStridedKernel(
  X: TypedArray,
  xShape: Shape,
  O: TypedArray,
  strides: readonly number[],
  offset: number,
): void {
  O.fill(0);
  if (xShape.length === 2) {
    const [rows, cols] = xShape as [number, number];
    const [rs, cs] = strides as [number, number];
    for (let r = 0, k = 0; r < rows; r++) {
      let o = offset + r * rs;
      for (let c = 0; c < cols; c++, o += cs) O[o] = X[k++]!;
    }
    return;
  }
  let k = 0;
  stridedLoop(xShape, strides, none, none, offset, 0, 0, (n, o, s) => {
    for (let i = 0; i < n; i++, o += s) O[o] = X[k++]!;
  });
}

export function concatKernel(
  xs: readonly TypedArray[],
  shapes: readonly Shape[],
  axis: number,
  O: TypedArray,
): void {
  const outer = sizeOf(shapes[0]!.slice(0, axis));
  const chunks = shapes.map((s) => sizeOf(s.slice(axis)));
  const row = chunks.reduce((a, b) => a + b, 0);
  let col = 0;
  for (let t = 0; t < xs.length; t++) {
    const X = xs[t]!;
    const c = chunks[t]!;
    // short rows (a [64, 17] observation beside a [64, 6] action) copy element by element:
    // a subarray per row costs more than the copy
    if (c >= 256) for (let o = 0; o < outer; o++) O.set(X.subarray(o * c, (o + 1) * c), o * row + col);
    else
      for (let o = 0, src = 0; o < outer; o++)
        for (let i = 0, dst = o * row + col; i < c; i++) O[dst++] = X[src++]!;
    col += c;
  }
}

/** Splits x around `axis` into (outer, axisLen, inner) blocks. */
function blocks(shape: Shape, axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis]!, sizeOf(shape.slice(axis + 1))];
}

function checkIndex(v: number, len: number, op: string, axis: number): void {
  if (!(v >= 0 && v < len))
    throw new RangeError(`${op}: index ${v} is out of range for axis ${axis} of size ${len}`);
}

export function gatherKernel(X: TypedArray, xShape: Shape, I: Int32Array, axis: number, O: TypedArray): void {
  const [outer, len, inner] = blocks(xShape, axis);
  const L = I.length;
  for (let l = 0; l < L; l++) checkIndex(I[l]!, len, 'gather', axis);
  for (let o = 0; o < outer; o++) {
    for (let l = 0; l < L; l++) {
      const src = (o * len + I[l]!) * inner;
      const dst = (o * L + l) * inner;
      if (inner === 1) O[dst] = X[src]!;
      else O.set(X.subarray(src, src + inner), dst);
    }
  }
}

export function scatterAddKernel(
  G: TypedArray,
  I: Int32Array,
  axis: number,
  O: TypedArray,
  outShape: Shape,
): void {
  const [outer, len, inner] = blocks(outShape, axis);
  const L = I.length;
  for (let l = 0; l < L; l++) checkIndex(I[l]!, len, 'scatterAdd', axis);
  O.fill(0);
  for (let o = 0; o < outer; o++) {
    for (let l = 0; l < L; l++) {
      const dst = (o * len + I[l]!) * inner;
      const src = (o * L + l) * inner;
      for (let i = 0; i < inner; i++) O[dst + i] += G[src + i]!;
    }
  }
}
