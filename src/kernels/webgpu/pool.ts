/**
 * A bounded pool of storage buffers in exact-size buckets (sizes are rounded to 4 bytes,
 * so a bucket is one byte count). Released buffers wait in `pending` until the work
 * recorded so far has been submitted (`settle`), because a queue.writeBuffer into a
 * recycled buffer would otherwise land before an unsubmitted dispatch that still reads it.
 */
import { STORAGE_USAGE } from './gpu-consts.js';

export interface PoolStats {
  /** bytes held by live storages */
  usedBytes: number;
  /** bytes of every buffer the pool owns (live + idle) */
  allocatedBytes: number;
  /** idle buffers ready for reuse */
  idleBuffers: number;
}

export class BufferPool {
  private readonly idle = new Map<number, GPUBuffer[]>();
  private pending: GPUBuffer[] = [];
  private idleBytes = 0;
  usedBytes = 0;
  allocatedBytes = 0;

  constructor(
    private readonly device: GPUDevice,
    /** idle bytes kept for reuse; beyond that released buffers are destroyed */
    private readonly maxIdleBytes: number,
    /** total bytes the pool may own before it refuses (clear error instead of a device loss) */
    private readonly budgetBytes: number,
  ) {}

  static bytesFor(elements: number): number {
    // no zero-size bindings; 4-byte elements keep sizes 4-byte aligned
    return Math.max(4, elements * 4);
  }

  acquire(bytes: number): GPUBuffer {
    const bucket = this.idle.get(bytes);
    const reused = bucket?.pop();
    if (reused) {
      this.idleBytes -= bytes;
      this.usedBytes += bytes;
      return reused;
    }
    if (this.allocatedBytes + bytes > this.budgetBytes) this.trim(0);
    if (this.allocatedBytes + bytes > this.budgetBytes) {
      throw new RangeError(
        `webgpu backend: out of GPU memory budget (${this.usedBytes} bytes live, asked for ${bytes} more, budget ${this.budgetBytes}); dispose tensors you no longer need`,
      );
    }
    let buf: GPUBuffer;
    try {
      buf = this.device.createBuffer({ size: bytes, usage: STORAGE_USAGE });
    } catch {
      // allocation failed: give back every idle buffer and retry once
      this.trim(0);
      buf = this.device.createBuffer({ size: bytes, usage: STORAGE_USAGE });
    }
    this.allocatedBytes += bytes;
    this.usedBytes += bytes;
    return buf;
  }

  /** Returns a buffer; it becomes reusable after the next settle(). */
  release(buf: GPUBuffer): void {
    this.usedBytes -= buf.size;
    this.pending.push(buf);
  }

  /** Called after a submit: buffers released before it may now be reused. */
  settle(): void {
    for (const buf of this.pending) {
      const bytes = buf.size;
      if (this.idleBytes + bytes > this.maxIdleBytes) {
        buf.destroy();
        this.allocatedBytes -= bytes;
        continue;
      }
      let bucket = this.idle.get(bytes);
      if (!bucket) this.idle.set(bytes, (bucket = []));
      bucket.push(buf);
      this.idleBytes += bytes;
    }
    this.pending = [];
  }

  /** Destroys idle buffers until at most `keepBytes` idle bytes remain. */
  trim(keepBytes: number): void {
    for (const [bytes, bucket] of this.idle) {
      while (bucket.length && this.idleBytes > keepBytes) {
        bucket.pop()!.destroy();
        this.idleBytes -= bytes;
        this.allocatedBytes -= bytes;
      }
      if (!bucket.length) this.idle.delete(bytes);
    }
  }

  stats(): PoolStats {
    let idleBuffers = 0;
    for (const b of this.idle.values()) idleBuffers += b.length;
    return { usedBytes: this.usedBytes, allocatedBytes: this.allocatedBytes, idleBuffers };
  }
}
