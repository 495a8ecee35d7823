/**
 * Cached typed-array views of one MjData's arrays. mujoco-js builds a new view on every
 * property read (~0.2 µs each), so the hot path reads these instead. When the WASM
 * memory grows its ArrayBuffer is detached and every view becomes empty: `fresh()`
 * notices that (byteLength 0) and takes new views.
 */
import type { MjData } from 'mujoco-js';

export class DataViews {
  qpos!: Float64Array;
  qvel!: Float64Array;
  ctrl!: Float64Array;
  /** body positions, nbody × 3 */
  xpos!: Float64Array;
  /** external contact force per body (com-based 6D: torque, force), nbody × 6 */
  cfrcExt!: Float64Array;

  constructor(private readonly data: MjData) {
    this.take();
  }

  /** The views, re-taken if the WASM memory grew since they were made. */
  fresh(): this {
    if (this.qpos.buffer.byteLength === 0) this.take();
    return this;
  }

  private take(): void {
    const d = this.data;
    this.qpos = d.qpos as Float64Array;
    this.qvel = d.qvel as Float64Array;
    this.ctrl = d.ctrl as Float64Array;
    this.xpos = d.xpos as Float64Array;
    this.cfrcExt = d.cfrc_ext as Float64Array;
  }
}

/** Bytes of WASM memory behind an MjData (the whole heap; it only grows). */
export function heapBytesOf(data: MjData): number {
  return (data.qpos as Float64Array).buffer.byteLength;
}
