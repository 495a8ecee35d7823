/** Ops that rearrange elements: reshape, permute, broadcast, slice, concat, gather, where, cast. */
import { isFloat, type DType } from '../../kernels/dtype.js';
import {
  broadcastShapes,
  fmtShape,
  normAxis,
  shapesEqual,
  sizeOf,
  stridesOf,
  type Shape,
} from '../../kernels/shape.js';
import { record, constantResult } from '../record.js';
import { Tensor } from '../tensor.js';
import { assertShape, assertTensor, broadcastOrThrow, pair, sameSize, type TensorLike } from './helpers.js';
import { sum } from './reduce.js';

/** Same data, new shape (one dimension may be -1). Shares storage: no copy. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  assertTensor('reshape', x);
  const s = inferShape(shape, x.size);
  if (shapesEqual(s, x.shape)) return x;
  return record('reshape', x.storage, s, x.backend, [x], (g) => [reshape(g, x.shape)]);
}

function inferShape(shape: readonly number[], size: number): number[] {
  const s = shape.slice();
  const neg = s.indexOf(-1);
  if (neg >= 0) {
    const rest = sizeOf(s.filter((_, i) => i !== neg));
    if (rest === 0 || size % rest !== 0)
      throw new RangeError(`reshape: cannot infer -1 in ${fmtShape(shape)} for ${size} elements`);
    s[neg] = size / rest;
  }
  assertShape('reshape', s);
  sameSize('reshape', s, size);
  return s;
}

export function flatten(x: Tensor): Tensor {
  return reshape(x, [x.size]);
}

/** Inserts a size-1 dimension at `axis`. */
export function expandDims(x: Tensor, axis: number): Tensor {
  const a = normAxis(axis, x.ndim + 1, 'expandDims');
  const s = x.shape.slice();
  s.splice(a, 0, 1);
  return reshape(x, s);
}

/** Removes size-1 dimensions (all of them, or the given axes). */
export function squeeze(x: Tensor, axes?: number | readonly number[]): Tensor {
  const list =
    axes === undefined
      ? x.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)
      : (typeof axes === 'number' ? [axes] : axes).map((a) => normAxis(a, x.ndim, 'squeeze'));
  for (const a of list) {
    if (x.shape[a] !== 1)
      throw new RangeError(`squeeze: axis ${a} has size ${x.shape[a]}, not 1, in shape ${fmtShape(x.shape)}`);
  }
  return reshape(
    x,
    x.shape.filter((_, i) => !list.includes(i)),
  );
}

/** Reorders dimensions: out.shape[i] = x.shape[perm[i]]. */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  assertTensor('permute', x);
  const p = perm.map((a) => normAxis(a, x.ndim, 'permute'));
  if (p.length !== x.ndim || new Set(p).size !== p.length) {
    throw new RangeError(
      `permute: ${JSON.stringify(perm)} is not a permutation of the ${x.ndim} axes of ${fmtShape(x.shape)}`,
    );
  }
  if (p.every((a, i) => a === i)) return x;
  const st = stridesOf(x.shape);
  const outShape = p.map((a) => x.shape[a]!);
  const inv = new Array<number>(p.length);
  p.forEach((a, i) => (inv[a] = i));
  return record(
    'permute',
    x.backend.strided(
      x.storage,
      outShape,
      p.map((a) => st[a]!),
      0,
    ),
    outShape,
    x.backend,
    [x],
    (g) => [permute(g, inv)],
    { perm: p },
  );
}

/** Swaps two axes (the last two by default). */
export function transpose(x: Tensor, axis0 = -2, axis1 = -1): Tensor {
  if (x.ndim < 2) return x;
  const a = normAxis(axis0, x.ndim, 'transpose');
  const b = normAxis(axis1, x.ndim, 'transpose');
  const perm = x.shape.map((_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return permute(x, perm);
}

/** Materializes x broadcast to `shape` (NumPy rules). */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  assertTensor('broadcastTo', x);
  assertShape('broadcastTo', shape);
  const b = broadcastShapes(x.shape, shape);
  if (!b || !shapesEqual(b, shape)) {
    throw new RangeError(`broadcastTo: shape ${fmtShape(x.shape)} cannot be broadcast to ${fmtShape(shape)}`);
  }
  if (shapesEqual(x.shape, shape)) return x;
  const n = shape.length;
  const xs = stridesOf(x.shape);
  const st = shape.map((_, i) => {
    const j = i - (n - x.ndim);
    return j < 0 || x.shape[j] === 1 ? 0 : xs[j]!;
  });
  return record(
    'broadcastTo',
    x.backend.strided(x.storage, shape, st, 0),
    shape.slice(),
    x.backend,
    [x],
    (g) => [sumTo(g, x.shape)],
  );
}

/** Sums a broadcast gradient back to `shape` (the adjoint of broadcastTo). */
export function sumTo(g: Tensor, shape: Shape): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  return reshape(sum(g, axes, true), shape);
}

/**
 * Python-style slicing per axis: starts/ends may be negative or out of range (clamped),
 * steps are positive; axes beyond the given lists are taken whole.
 */
export function slice(
  x: Tensor,
  starts: readonly number[],
  ends?: readonly (number | undefined)[],
  steps?: readonly number[],
): Tensor {
  assertTensor('slice', x);
  if (starts.length > x.ndim) {
    throw new RangeError(`slice: ${starts.length} starts given for a tensor of rank ${x.ndim}`);
  }
  const st = stridesOf(x.shape);
  const outShape: number[] = [];
  const strides: number[] = [];
  let offset = 0;
  for (let i = 0; i < x.ndim; i++) {
    const n = x.shape[i]!;
    const step = steps?.[i] ?? 1;
    if (!Number.isInteger(step) || step <= 0)
      throw new RangeError(`slice: step must be a positive integer, got ${step} on axis ${i}`);
    const clamp = (v: number): number => Math.min(n, Math.max(0, v < 0 ? v + n : v));
    const b = i < starts.length ? clamp(starts[i]!) : 0;
    const e = ends?.[i] === undefined ? n : clamp(ends[i]!);
    outShape.push(Math.max(0, Math.ceil((e - b) / step)));
    strides.push(st[i]! * step);
    offset += b * st[i]!;
  }
  if (shapesEqual(outShape, x.shape)) return x;
  return stridedSlice(x, outShape, strides, offset);
}

function stridedSlice(x: Tensor, outShape: number[], strides: number[], offset: number): Tensor {
  return record(
    'slice',
    x.backend.strided(x.storage, outShape, strides, offset),
    outShape,
    x.backend,
    [x],
    (g) => [unslice(g, x.shape, strides, offset)],
    { strides, offset },
  );
}

/** The adjoint of a slice: zeros of `shape` with g written into the sliced positions. */
function unslice(g: Tensor, shape: Shape, strides: number[], offset: number): Tensor {
  return record(
    'unslice',
    g.backend.scatterStrided(g.storage, g.shape, shape, strides, offset),
    shape.slice(),
    g.backend,
    [g],
    (gg) => [stridedSlice(gg, g.shape.slice(), strides, offset)],
    { strides, offset },
  );
}

/** Concatenates along an existing axis. */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(xs as unknown) || xs.length === 0)
    throw new RangeError('concat: needs a non-empty array of tensors');
  xs.forEach((x) => assertTensor('concat', x));
  const first = xs[0]!;
  const a = normAxis(axis, first.ndim, 'concat');
  for (const x of xs) {
    pair('concat', first, x);
    if (x.ndim !== first.ndim || x.shape.some((d, i) => i !== a && d !== first.shape[i])) {
      throw new RangeError(
        `concat: shapes ${xs.map((t) => fmtShape(t.shape)).join(', ')} differ off axis ${a}`,
      );
    }
  }
  // one tensor is copied too: the result never aliases an input (in-place writes to either,
  // an optimizer step or dispose, must not reach the other), as torch.cat([x]) is a new tensor
  const outShape = first.shape.slice();
  outShape[a] = xs.reduce((s, x) => s + x.shape[a]!, 0);
  return record(
    'concat',
    first.backend.concat(
      xs.map((x) => x.storage),
      xs.map((x) => x.shape),
      a,
      outShape,
    ),
    outShape,
    first.backend,
    xs,
    (g, needs) => {
      let at = 0;
      return xs.map((x, i) => {
        const starts = new Array<number>(a + 1).fill(0);
        const ends: (number | undefined)[] = new Array<number | undefined>(a + 1).fill(undefined);
        starts[a] = at;
        ends[a] = at + x.shape[a]!;
        at += x.shape[a]!;
        return needs[i] ? slice(g, starts, ends) : null;
      });
    },
    { axis: a },
  );
}

/** Stacks equal-shaped tensors along a new axis. */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(xs as unknown) || xs.length === 0)
    throw new RangeError('stack: needs a non-empty array of tensors');
  xs.forEach((x) => assertTensor('stack', x));
  for (const x of xs) {
    if (!shapesEqual(x.shape, xs[0]!.shape)) {
      throw new RangeError(`stack: shapes differ: ${xs.map((t) => fmtShape(t.shape)).join(', ')}`);
    }
  }
  const a = normAxis(axis, xs[0]!.ndim + 1, 'stack');
  return concat(
    xs.map((x) => expandDims(x, a)),
    a,
  );
}

/** Splits along an axis into pieces of the given sizes (or n equal pieces). */
export function split(x: Tensor, sizes: number | readonly number[], axis = 0): Tensor[] {
  const a = normAxis(axis, x.ndim, 'split');
  const n = x.shape[a]!;
  const list = typeof sizes === 'number' ? new Array<number>(sizes).fill(n / sizes) : sizes;
  if (list.some((s) => !Number.isInteger(s) || s < 0) || list.reduce((p, q) => p + q, 0) !== n) {
    throw new RangeError(`split: sizes ${JSON.stringify(sizes)} do not divide axis ${a} of size ${n}`);
  }
  let at = 0;
  return list.map((s) => {
    const starts = new Array<number>(a + 1).fill(0);
    const ends: (number | undefined)[] = new Array<number | undefined>(a + 1).fill(undefined);
    starts[a] = at;
    ends[a] = at + s;
    at += s;
    return slice(x, starts, ends);
  });
}

function indexTensor(op: string, idx: Tensor | readonly number[], like: Tensor): Tensor {
  if (idx instanceof Tensor) {
    if (idx.dtype !== 'int32')
      throw new TypeError(`${op}: indices must be an int32 tensor, got ${idx.dtype}`);
    if (idx.backend !== like.backend)
      throw new TypeError(`${op}: indices live on ${idx.backend.name}, values on ${like.backend.name}`);
    return idx;
  }
  return new Tensor(like.backend.upload(Int32Array.from(idx)), [idx.length], like.backend);
}

/** out = x indexed by `indices` along `axis`: shape x.shape[:axis] + indices.shape + x.shape[axis+1:]. */
export function gather(x: Tensor, indices: Tensor | readonly number[], axis = 0): Tensor {
  assertTensor('gather', x);
  const idx = indexTensor('gather', indices, x);
  const a = normAxis(axis, x.ndim, 'gather');
  const flatShape = [...x.shape.slice(0, a), idx.size, ...x.shape.slice(a + 1)];
  const outShape = [...x.shape.slice(0, a), ...idx.shape, ...x.shape.slice(a + 1)];
  const out = record(
    'gather',
    x.backend.gather(x.storage, x.shape, idx.storage, a, flatShape),
    flatShape,
    x.backend,
    [x],
    (g) => [scatterAdd(g, idx, a, x.shape)],
    { axis: a },
  );
  return reshape(out, outShape);
}

/** Zeros of `shape` with g's slices added at `indices` along `axis` (the adjoint of gather). */
export function scatterAdd(g: Tensor, indices: Tensor, axis: number, shape: Shape): Tensor {
  const idx = indexTensor('scatterAdd', indices, g);
  const flatShape = [...shape.slice(0, axis), idx.size, ...shape.slice(axis + 1)];
  const gf = reshape(g, flatShape);
  return record(
    'scatterAdd',
    g.backend.scatterAdd(gf.storage, flatShape, idx.storage, axis, shape),
    shape.slice(),
    g.backend,
    [gf],
    (gg) => [gather(gg, idx, axis)],
    { axis },
  );
}

/** Elementwise choice: cond != 0 picks a, else b (all three broadcast). No gradient flows to cond. */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  assertTensor('where', cond, 'condition');
  const [x, y] = pair('where', typeof a === 'number' && typeof b === 'number' ? scalarOf(a, cond) : a, b);
  const shape = broadcastOrThrow('where', broadcastOrThrow('where', cond.shape, x.shape), y.shape);
  return record(
    'where',
    x.backend.where(cond.storage, cond.shape, x.storage, x.shape, y.storage, y.shape, shape),
    shape,
    x.backend,
    [x, y],
    (g, needs) => {
      const zero = zerosScalar(g);
      return [
        needs[0] ? sumTo(where(cond, g, zero), x.shape) : null,
        needs[1] ? sumTo(where(cond, zero, g), y.shape) : null,
      ];
    },
  );
}

function scalarOf(v: number, like: Tensor): Tensor {
  const dtype = isFloat(like.dtype) ? like.dtype : 'float32';
  return new Tensor(like.backend.fill(dtype, 1, v), [], like.backend);
}

function zerosScalar(like: Tensor): Tensor {
  return new Tensor(like.backend.fill(like.dtype, 1, 0), [], like.backend);
}

/** Converts to another dtype; the gradient is cast back. To int32 truncates and carries no gradient. */
export function cast(x: Tensor, dtype: DType): Tensor {
  assertTensor('cast', x);
  if (x.dtype === dtype) return x;
  const s = x.backend.cast(x.storage, dtype);
  if (!isFloat(dtype) || !isFloat(x.dtype)) return constantResult('cast', s, x.shape, x.backend, [x]);
  return record('cast', s, x.shape, x.backend, [x], (g) => [cast(g, x.dtype)], { dtype });
}

/** The same values, cut from the graph (shares storage). */
export function detach(x: Tensor): Tensor {
  assertTensor('detach', x);
  return new Tensor(x.storage, x.shape, x.backend);
}
