/** CPU storage: a typed array on the JavaScript heap. */
import type { DType, TypedArray } from '../dtype.js';
import { dtypeOfArray } from '../dtype.js';
import type { Storage } from '../backend.js';

export class CpuStorage implements Storage {
  readonly dtype: DType;
  disposed = false;
  constructor(public data: TypedArray) {
    this.dtype = dtypeOfArray(data);
  }
  get size(): number {
    return this.data.length;
  }
}

export function cpu(s: Storage): CpuStorage {
  if (!(s instanceof CpuStorage)) throw new TypeError('cpu backend: storage belongs to another backend');
  return s;
}
