/**
 * CPU storage: a typed array on the JavaScript heap, or (float32 with SIMD kernels) a
 * block of the WebAssembly tensor arena seen through a Float32Array view. One class for
 * both keeps every `data` access monomorphic; for arena blocks the view is re-made when
 * the arena's memory has grown since it was taken (growing detaches old views).
 */
import { dtypeOfArray, type DType, type TypedArray } from '../dtype.js';
import type { Storage } from '../backend.js';
import type { Arena } from './wasm/arena.js';

const EMPTY = new Float32Array(0);
// what a released storage shows: one shared empty array per dtype, not an allocation per release
const RELEASED: Record<DType, TypedArray> = {
  float32: EMPTY,
  float64: new Float64Array(0),
  int32: new Int32Array(0),
};

export class CpuStorage implements Storage {
  readonly dtype: DType;
  readonly size: number;
  disposed = false;
  /** Byte offset of the block in the arena, or -1 when the data is on the JavaScript heap. */
  readonly ptr: number;
  /** The data as a typed array; for arena blocks made on first use (SIMD kernels need only ptr). */
  private view: TypedArray | null;
  private generation: number;

  constructor(
    data: TypedArray,
    /** The arena holding the block (null on the heap, and once released). */
    public arena: Arena | null = null,
    ptr = -1,
    size = data.length,
  ) {
    this.view = arena === null ? data : null;
    this.dtype = dtypeOfArray(data);
    this.size = size;
    this.ptr = ptr;
    this.generation = arena === null ? 0 : arena.generation;
  }

  /** A block of `size` float32s in the arena, or null when the arena is full. */
  static inArena(arena: Arena, size: number): CpuStorage | null {
    const ptr = arena.alloc(size * 4);
    if (ptr < 0) return null;
    const s = new CpuStorage(EMPTY, arena, ptr, size);
    arena.track(s, ptr, size * 4);
    return s;
  }

  get data(): TypedArray {
    const a = this.arena;
    if (a !== null && (this.view === null || this.generation !== a.generation)) {
      this.view = new Float32Array(a.buffer, this.ptr, this.size);
      this.generation = a.generation;
    }
    return this.view!;
  }

  /** Frees the data now: an arena block goes back to its free list. */
  release(): void {
    if (this.disposed) return;
    this.disposed = true;
    const a = this.arena;
    if (a !== null) {
      a.forget(this);
      a.release(this.ptr, this.size * 4);
      this.arena = null;
    }
    this.view = RELEASED[this.dtype];
  }
}

export function cpu(s: Storage): CpuStorage {
  if (!(s instanceof CpuStorage)) throw new TypeError('cpu backend: storage belongs to another backend');
  return s;
}
