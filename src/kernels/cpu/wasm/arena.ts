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
 * Garbage collection only reports dead storages between tasks (FinalizationRegistry
 * callbacks never run inside one synchronous job), so a long synchronous loop that never
 * disposes fills the arena; past `limitBytes` alloc returns -1 and the backend keeps new
 * tensors on the JavaScript heap (see arenaLimitFromEnv).
 */
import { kernelModule, type WasmMemory } from './module.js';

const PAGE = 65536;
/** The SIMD kernels' vector loads may read up to 12 bytes past an operand's last element. */
const GUARD = 16;
/** A 32-bit WebAssembly memory holds at most 65536 pages; one is left for rounding. */
const MAX_BYTES = 65535 * PAGE;

/**
 * How far the arena grows (SR2L_CPU_ARENA_MB, default 64 MiB). Past it, new tensors go
 * to the JavaScript heap and SIMD kernels copy them through scratch blocks: slower than
 * in place but still SIMD, until disposed or collected blocks make room again. A
 * synchronous loop fills any limit (see above), so a small one keeps the memory held and
 * the first-touch page faults of fresh blocks down; loops that dispose or yield reuse it.
 */
export function arenaLimitFromEnv(): number {
  const v = globalThis.process?.env?.SR2L_CPU_ARENA_MB;
  if (v === undefined || v === '') return 64 * 2 ** 20;
  const mb = Number(v);
  if (!Number.isFinite(mb) || mb < 1 || mb > 4095)
    throw new RangeError(`SR2L_CPU_ARENA_MB='${v}' must be a number of MiB between 1 and 4095`);
  return Math.floor(mb * 2 ** 20);
}
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
  private readonly scratchFree = new Map<number, number[]>();
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

  /** Where fresh blocks start (everything below is handed out or on a free list). */
  get topBytes(): number {
    return this.top;
  }

  /** Total size of the WebAssembly memory in bytes. */
  get capacityBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** A block for a tensor of at least `bytes`, or -1 when the arena is at its limit. */
  alloc(bytes: number): number {
    const size = blockSize(bytes);
    const list = this.free.get(size);
    if (list !== undefined && list.length > 0) {
      this.liveBytes += size;
      return list.pop()!;
    }
    const ptr = this.bump(size, this.limitBytes);
    if (ptr >= 0) this.liveBytes += size;
    return ptr;
  }

  /**
   * A short-lived block for one kernel call (staged operands, packed matrices), returned
   * by releaseScratch right after it. Scratch blocks have their own free lists, so tensors
   * never take them, and may lie past limitBytes (up to what a 32-bit memory holds): a
   * kernel call then still finds room when tensors have filled the arena. -1 if the
   * memory cannot grow.
   */
  allocScratch(bytes: number): number {
    const size = blockSize(bytes);
    const list = this.scratchFree.get(size);
    if (list !== undefined && list.length > 0) return list.pop()!;
    return this.bump(size, MAX_BYTES);
  }

  releaseScratch(ptr: number, bytes: number): void {
    const size = blockSize(bytes);
    let list = this.scratchFree.get(size);
    if (list === undefined) this.scratchFree.set(size, (list = []));
    list.push(ptr);
  }

  /** A fresh block from the top, growing the memory up to `limit`; -1 past it. */
  private bump(size: number, limit: number): number {
    const end = this.top + size;
    // the limit holds even where scratch blocks already grew the memory past it
    if (end + GUARD > limit) return -1;
    // GUARD bytes past the last block stay addressable: kernels may over-read a row's tail
    if (end + GUARD > this.memory.buffer.byteLength) {
      const have = this.memory.buffer.byteLength;
      // grow geometrically up to limitBytes (a growing workload re-makes its views O(log n)
      // times); scratch past it grows the memory only as far as it needs
      const want = Math.min(Math.max(end + GUARD, Math.min(have * 2, this.limitBytes)), limit);
      try {
        this.memory.grow(Math.ceil((want - have) / PAGE));
      } catch {
        return -1; // the engine could not reserve more memory: fall back to the heap
      }
      this.generation++;
    }
    const ptr = this.top;
    this.top = end;
    return ptr;
  }

  /** Returns a tensor's block now (dispose). */
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
  return (shared ??= new Arena(arenaLimitFromEnv()));
}
