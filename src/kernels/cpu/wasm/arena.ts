/**
 * The float32 tensor arena: blocks of the kernels' WebAssembly memory, so SIMD kernels
 * read and write tensor data in place (no copy between JavaScript and WebAssembly per op).
 *
 * Blocks are 16-byte aligned and recycled through exact-size free lists (a training
 * loop allocates the same shapes every step), with a bump pointer behind them that grows
 * the memory when it runs out. A block returns to its free list when its storage is
 * disposed, or when the storage is garbage-collected (FinalizationRegistry). Growing the
 * memory detaches every existing view of it, so views are re-created lazily: `generation`
 * counts the grows and a storage re-makes its view when the number has moved.
 *
 * Garbage collection only reports dead storages between tasks, so one long synchronous
 * loop that never disposes can outrun it; past `limitBytes` the arena refuses (alloc
 * returns -1) and the caller keeps that tensor on the JavaScript heap instead.
 */
import { kernelModule, type WasmMemory } from './module.js';

const PAGE = 65536;
/** 2 GiB of the 4 GiB a 32-bit WebAssembly memory can address. */
const DEFAULT_LIMIT_BYTES = 2 ** 31;
const ALIGN = 16;

/** Bytes rounded up to the alignment (arithmetic, not bit masks: sizes may pass 2³¹). */
function blockSize(bytes: number): number {
  return Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
}

interface Block {
  ptr: number;
  bytes: number;
}

/** Not constructed directly: sharedArena() owns the module's memory. */
export class Arena {
  readonly memory: WasmMemory;
  /** Incremented whenever the memory grows (all views of the old buffer are detached). */
  generation = 0;
  /** Bytes handed out and not yet returned. */
  liveBytes = 0;
  private top: number;
  private readonly free = new Map<number, number[]>();
  private readonly registry = new FinalizationRegistry<Block>((b) => this.release(b.ptr, b.bytes));

  /** The most bytes of WebAssembly memory the arena may grow to (adjustable; tests lower it). */
  limitBytes: number;

  constructor(limitBytes: number) {
    this.limitBytes = limitBytes;
    const mod = kernelModule();
    this.memory = mod.memory;
    this.top = mod.heapBase();
  }

  get buffer(): ArrayBuffer {
    return this.memory.buffer;
  }

  /** Total size of the WebAssembly memory in bytes. */
  get capacityBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** A block of at least `bytes`, or -1 when the arena is at its limit. */
  alloc(bytes: number): number {
    const size = blockSize(bytes);
    const list = this.free.get(size);
    if (list !== undefined && list.length > 0) {
      this.liveBytes += size;
      return list.pop()!;
    }
    const end = this.top + size;
    if (end > this.memory.buffer.byteLength) {
      if (end > this.limitBytes) return -1;
      const have = this.memory.buffer.byteLength;
      // grow geometrically so a growing workload re-makes its views O(log n) times
      const want = Math.min(Math.max(end, have * 2), this.limitBytes);
      try {
        this.memory.grow(Math.ceil((want - have) / PAGE));
      } catch {
        return -1; // the engine could not reserve more memory: fall back to the heap
      }
      this.generation++;
    }
    const ptr = this.top;
    this.top = end;
    this.liveBytes += size;
    return ptr;
  }

  /** Returns a block now (dispose). */
  release(ptr: number, bytes: number): void {
    const size = blockSize(bytes);
    this.liveBytes -= size;
    let list = this.free.get(size);
    if (list === undefined) this.free.set(size, (list = []));
    list.push(ptr);
  }

  /** Returns the block when `owner` is garbage-collected, unless `forget(owner)` ran first. */
  track(owner: object, ptr: number, bytes: number): void {
    this.registry.register(owner, { ptr, bytes }, owner);
  }

  forget(owner: object): void {
    this.registry.unregister(owner);
  }
}

let shared: Arena | null = null;

/** The one arena over the kernels' memory (the module has a single memory, so one allocator). */
export function sharedArena(): Arena {
  return (shared ??= new Arena(DEFAULT_LIMIT_BYTES));
}
