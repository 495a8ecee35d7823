/** WebGPU storage: a pooled GPU buffer (4-byte elements, at least 4 bytes) plus its element count. */
import type { Storage } from '../backend.js';
import type { DType } from '../dtype.js';

export class GpuStorage implements Storage {
  disposed = false;
  constructor(
    readonly dtype: DType,
    readonly size: number,
    public buffer: GPUBuffer,
    /** owner, so a storage from another WebGPU device is caught */
    readonly owner: object,
    /** host copy of uploaded int32 data, used to check gather/scatterAdd indices without a readback */
    readonly hostInts: Int32Array | null = null,
  ) {}
}
