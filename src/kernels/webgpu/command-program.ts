/**
 * A compiled program's GPU work, built once (Backend.commandReplay on WebGPU). Every call
 * runs the program's kernel calls inside `run(body)` with this object as the runtime's
 * sink: the backend's kernel methods still work out each dispatch's pipeline, buffers and
 * params (cheap JavaScript), but nothing is created per dispatch:
 *  - the first call records the commands; one buffer for the program then holds every
 *    dispatch's params (a uniform slot each) and every host upload (fills, generator
 *    draws), and each dispatch gets a bind group over it;
 *  - later calls skip the steps whose commands cannot change (the program asks skipTo; it
 *    may while every watched captured storage keeps its buffer) and compare the commands
 *    of the others with their record: changed params (Adam's step count, a new learning
 *    rate) update the host mirror of that buffer, changed buffers (a storage that is not
 *    on the buffer recorded) take a bind group from a small per-dispatch cache keyed by
 *    buffer identity, or build one;
 *  - every call, the recording one included, ends with at most one writeBuffer (the span of
 *    the program's buffer that changed) and the whole program encoded into the runtime's
 *    batch, which is then submitted: one command buffer per call.
 * Uploads are copied from the program's buffer at their place in the stream, so a draw into
 * a planned buffer lands after the steps before it have read that buffer.
 */
import type { CommandReplay } from '../backend.js';
import type { Storage } from '../backend.js';
import { BUFFER, STORAGE_USAGE } from './gpu-consts.js';
import type { CommandSink, Runtime } from './runtime.js';
import { GpuStorage } from './storage.js';

interface Bound {
  reads: readonly GPUBuffer[];
  writes: readonly GPUBuffer[];
  /** null while recording: the program's buffer does not exist yet */
  group: GPUBindGroup | null;
}

interface DispatchCommand {
  kind: 'dispatch';
  pipeline: GPUComputePipeline;
  layout: GPUBindGroupLayout;
  /** uniform slot of its params in the program's buffer */
  slot: number;
  groups: readonly [number, number, number];
  bound: Bound;
  /** bind groups for buffers bound on earlier calls, most recent last */
  cache: Bound[];
}

interface CopyCommand {
  kind: 'copy';
  src: GPUBuffer;
  dst: GPUBuffer;
  bytes: number;
}

interface UploadCommand {
  kind: 'upload';
  dst: GPUBuffer;
  /** where its data sits in the program's buffer (after the uniform slots once built) */
  offset: number;
  bytes: number;
}

type Command = DispatchCommand | CopyCommand | UploadCommand;

/** Bind groups kept per dispatch for argument buffers that come back (pooled buffers recur). */
const CACHED_BIND_GROUPS = 4;

const same = (a: readonly GPUBuffer[], b: readonly GPUBuffer[]): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

const words = (data: ArrayBufferView): Uint32Array =>
  new Uint32Array(data.buffer, data.byteOffset, data.byteLength >> 2);

export class CommandProgram implements CommandSink, CommandReplay {
  private commands: Command[] = [];
  /** scratches taken up to and including command k's (so skipping to k + 1 knows where they stand) */
  private scratchMark: number[] = [];
  /** recording: params per slot and upload data, until the program's buffer exists */
  private recordedParams: Uint32Array[] = [];
  private recordedUploads: Uint32Array[] = [];
  private uploadBytes = 0;
  private scratches: GPUBuffer[] = [];
  /** the program's buffer (uniform slots, then upload data) and its host mirror */
  private buffer: GPUBuffer | null = null;
  private mirror = new Uint32Array(0);
  /** words of the mirror changed since the last write: [dirtyLo, dirtyHi) */
  private dirtyLo = Infinity;
  private dirtyHi = 0;
  private cursor = 0;
  private scratchAt = 0;
  private disposed = false;
  /** captured storages and the buffers they had on the last call */
  private watched: GpuStorage[] = [];
  private watchedBuffers: GPUBuffer[] = [];
  /** this call may skip steps (replaying, every watched storage on its buffer) */
  private skipping = false;
  /** bind groups created (at the end of the recording call, and later for new buffers) */
  bindGroupsBuilt = 0;

  constructor(private readonly rt: Runtime) {}

  private get recording(): boolean {
    return this.buffer === null;
  }

  run(body: () => void): void {
    if (this.disposed) throw new Error('webgpu: the compiled program was disposed');
    const rt = this.rt;
    if (rt.sink !== null) throw new Error('webgpu: internal: a compiled program ran inside another');
    this.cursor = 0;
    this.scratchAt = 0;
    this.skipping = this.watchedKept() && !this.recording;
    rt.sink = this;
    try {
      body();
      if (!this.recording && this.cursor !== this.commands.length)
        throw this.diverged(`it issued ${this.cursor} of the ${this.commands.length} recorded commands`);
    } catch (e) {
      this.abandon();
      throw e;
    } finally {
      rt.sink = null;
    }
    if (this.recording) this.build();
    this.submit();
  }

  /** After a failed call: a partial recording starts over; a replay rewrites the whole buffer next time. */
  private abandon(): void {
    if (!this.recording) {
      this.markDirty(0, this.mirror.length);
      return;
    }
    for (const b of this.scratches) b.destroy();
    this.scratches = [];
    this.commands = [];
    this.scratchMark = [];
    this.recordedParams = [];
    this.recordedUploads = [];
    this.uploadBytes = 0;
  }

  private diverged(what: string): Error {
    return new Error(
      `webgpu: a compiled program issued other GPU commands than when it was recorded (${what}); ` +
        'did forceKernel change between calls? reset() the compiled function to trace it again',
    );
  }

  watch(storages: readonly Storage[]): void {
    this.watched = storages.filter((s): s is GpuStorage => s instanceof GpuStorage);
    this.watchedBuffers = this.watched.map((s) => s.buffer);
  }

  /** Whether every watched storage still has the buffer it had last call (and notes the new ones). */
  private watchedKept(): boolean {
    let kept = true;
    this.watched.forEach((s, i) => {
      if (s.buffer === this.watchedBuffers[i]) return;
      this.watchedBuffers[i] = s.buffer;
      kept = false;
    });
    return kept;
  }

  position(): number {
    return this.recording ? this.commands.length : this.cursor;
  }

  skipTo(position: number): boolean {
    if (!this.skipping) return false;
    this.cursor = position;
    this.scratchAt = position > 0 ? this.scratchMark[position - 1]! : 0;
    return true;
  }

  private push(c: Command): void {
    this.commands.push(c);
    this.scratchMark.push(this.scratches.length);
  }

  private next<K extends Command['kind']>(kind: K, label: string): Extract<Command, { kind: K }> {
    const c = this.commands[this.cursor];
    if (c === undefined || c.kind !== kind)
      throw this.diverged(
        `command ${this.cursor} is ${c ? c.kind : 'past the end'}, the call asked for ${label}`,
      );
    this.cursor++;
    return c as Extract<Command, { kind: K }>;
  }

  private markDirty(lo: number, hi: number): void {
    if (lo < this.dirtyLo) this.dirtyLo = lo;
    if (hi > this.dirtyHi) this.dirtyHi = hi;
  }

  /** Copies `src` into the mirror at word `at`, marking what changed. */
  private update(at: number, src: ArrayLike<number>): void {
    const m = this.mirror;
    for (let i = 0; i < src.length; i++) {
      if (m[at + i] === src[i]) continue;
      m[at + i] = src[i]!;
      this.markDirty(at + i, at + i + 1);
    }
  }

  dispatch(
    pipeline: GPUComputePipeline,
    layout: GPUBindGroupLayout,
    reads: readonly GPUBuffer[],
    writes: readonly GPUBuffer[],
    params: ArrayLike<number>,
    groups: readonly [number, number, number],
  ): void {
    if (this.recording) {
      const slot = this.recordedParams.length;
      this.recordedParams.push(Uint32Array.from(params));
      const bound = { reads: reads.slice(), writes: writes.slice(), group: null };
      this.push({ kind: 'dispatch', pipeline, layout, slot, groups, bound, cache: [] });
      return;
    }
    const c = this.next('dispatch', pipeline.label);
    if (c.pipeline !== pipeline)
      throw this.diverged(
        `command ${this.cursor - 1} ran ${c.pipeline.label}, the call asked for ${pipeline.label}`,
      );
    this.update((c.slot * this.rt.slotBytes) >> 2, params);
    c.groups = groups;
    if (!same(c.bound.reads, reads) || !same(c.bound.writes, writes)) this.rebind(c, reads, writes);
  }

  /** Binds other buffers: a cached bind group for them, or a new one. */
  private rebind(c: DispatchCommand, reads: readonly GPUBuffer[], writes: readonly GPUBuffer[]): void {
    const i = c.cache.findIndex((b) => same(b.reads, reads) && same(b.writes, writes));
    const next = i >= 0 ? c.cache.splice(i, 1)[0]! : this.bind(c, reads.slice(), writes.slice());
    c.cache.push(c.bound);
    if (c.cache.length > CACHED_BIND_GROUPS) c.cache.shift();
    c.bound = next;
  }

  private bind(c: DispatchCommand, reads: readonly GPUBuffer[], writes: readonly GPUBuffer[]): Bound {
    this.bindGroupsBuilt++;
    const group = this.rt.bindGroup(c.layout, this.buffer!, c.slot * this.rt.slotBytes, reads, writes);
    return { reads, writes, group };
  }

  copy(src: GPUBuffer, dst: GPUBuffer, bytes: number): void {
    if (this.recording) {
      this.push({ kind: 'copy', src, dst, bytes });
      return;
    }
    const c = this.next('copy', 'a copy');
    c.src = src;
    c.dst = dst;
    c.bytes = bytes;
  }

  write(dst: GPUBuffer, data: ArrayBufferView<ArrayBuffer>): void {
    const bytes = data.byteLength;
    if (this.recording) {
      this.recordedUploads.push(words(data).slice());
      this.push({ kind: 'upload', dst, offset: this.uploadBytes, bytes });
      this.uploadBytes += bytes;
      return;
    }
    const c = this.next('upload', `an upload of ${bytes} bytes`);
    if (c.bytes !== bytes)
      throw this.diverged(`upload ${this.cursor - 1} was ${c.bytes} bytes, now ${bytes}`);
    this.update(c.offset >> 2, words(data));
    c.dst = dst;
  }

  scratch(bytes: number): GPUBuffer {
    if (this.recording) {
      // not from the pool: a program dropped without dispose() must not leave pool bytes in use
      const b = this.rt.device.createBuffer({ size: bytes, usage: STORAGE_USAGE });
      this.scratches.push(b);
      return b;
    }
    const b = this.scratches[this.scratchAt++];
    if (b === undefined || b.size !== bytes)
      throw this.diverged(`scratch copy ${this.scratchAt - 1} of ${bytes} bytes was not recorded`);
    return b;
  }

  /** After the recording call: the program's buffer with every params slot and upload, and the bind groups. */
  private build(): void {
    const slotBytes = this.rt.slotBytes;
    const uniformBytes = this.recordedParams.length * slotBytes;
    const size = Math.max(4, uniformBytes + this.uploadBytes);
    const usage = BUFFER.UNIFORM | BUFFER.COPY_SRC | BUFFER.COPY_DST;
    this.buffer = this.rt.device.createBuffer({ size, usage, label: 'compiled program' });
    this.mirror = new Uint32Array(size >> 2);
    this.recordedParams.forEach((p, slot) => this.mirror.set(p, (slot * slotBytes) >> 2));
    let u = 0;
    for (const c of this.commands) {
      if (c.kind === 'upload') {
        c.offset += uniformBytes;
        this.mirror.set(this.recordedUploads[u++]!, c.offset >> 2);
      } else if (c.kind === 'dispatch') {
        c.bound = this.bind(c, c.bound.reads, c.bound.writes);
      }
    }
    this.recordedParams = [];
    this.recordedUploads = [];
    this.markDirty(0, this.mirror.length);
  }

  /** One writeBuffer of what changed, the whole program into the runtime's batch, one submit. */
  private submit(): void {
    const rt = this.rt;
    const buffer = this.buffer!;
    if (this.dirtyHi > this.dirtyLo) {
      const lo = this.dirtyLo;
      rt.device.queue.writeBuffer(buffer, lo * 4, this.mirror, lo, this.dirtyHi - lo);
      this.dirtyLo = Infinity;
      this.dirtyHi = 0;
    }
    let pass: GPUComputePassEncoder | null = null;
    let dispatches = 0;
    for (const c of this.commands) {
      if (c.kind === 'dispatch') {
        pass ??= rt.openPass();
        pass.setPipeline(c.pipeline);
        pass.setBindGroup(0, c.bound.group);
        pass.dispatchWorkgroups(c.groups[0], c.groups[1], c.groups[2]);
        dispatches++;
        continue;
      }
      pass = null;
      const enc = rt.closePass();
      if (c.kind === 'copy') enc.copyBufferToBuffer(c.src, 0, c.dst, 0, c.bytes);
      else enc.copyBufferToBuffer(buffer, c.offset, c.dst, 0, c.bytes);
    }
    rt.dispatches += dispatches;
    rt.flush();
  }

  describe(): string {
    if (this.recording) return 'webgpu commands: recorded at the first replay';
    const count = (k: Command['kind']): number => this.commands.filter((c) => c.kind === k).length;
    return `webgpu commands, one command buffer per call: dispatches ${count('dispatch')}, copies ${count('copy')}, uploads ${count('upload')}; bind groups built ${this.bindGroupsBuilt}; params and uploads ${this.mirror.byteLength} B`;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.buffer?.destroy();
    this.buffer = null;
    for (const b of this.scratches) b.destroy();
    this.scratches = [];
    this.commands = [];
  }
}
