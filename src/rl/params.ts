/**
 * Parameter lists as one flat vector (host Float64Array), the view TRPO's conjugate
 * gradient and line search work in. Reads and writes go through the backend, so they
 * work on every backend; writes are in place, so tensors held elsewhere see them.
 */
import * as sr from '../autograd/index.js';
import type { Tensor } from '../autograd/index.js';
import { arrayFor } from '../kernels/dtype.js';

export function numelOf(params: readonly Tensor[]): number {
  return params.reduce((n, p) => n + p.size, 0);
}

/** The concatenated values of `tensors`, as float64. */
export async function readFlat(tensors: readonly Tensor[]): Promise<Float64Array> {
  const out = new Float64Array(numelOf(tensors));
  let at = 0;
  for (const t of tensors) {
    out.set(await t.data(), at);
    at += t.size;
  }
  return out;
}

/** Overwrites each parameter in place with its slice of `flat` (cast to its dtype). */
export function writeFlat(params: readonly Tensor[], flat: Float64Array): void {
  checkLength('writeFlat', params, flat);
  let at = 0;
  for (const p of params) {
    const host = arrayFor(p.dtype, p.size);
    host.set(flat.subarray(at, at + p.size));
    const tmp = p.backend.upload(host, true);
    p.backend.assign(p.storage, tmp);
    p.backend.dispose(tmp);
    at += p.size;
  }
}

/** Tensors shaped like `params` holding the slices of `flat` (tangents for hvp). */
export function splitFlat(params: readonly Tensor[], flat: Float64Array): Tensor[] {
  checkLength('splitFlat', params, flat);
  let at = 0;
  return params.map((p) => {
    const t = sr.tensor(flat.subarray(at, at + p.size), {
      shape: p.shape.slice(),
      dtype: p.dtype,
      backend: p.backend,
    });
    at += p.size;
    return t;
  });
}

function checkLength(op: string, params: readonly Tensor[], flat: Float64Array): void {
  const n = numelOf(params);
  if (flat.length !== n) throw new RangeError(`${op}: vector has ${flat.length} entries, parameters ${n}`);
}

export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
