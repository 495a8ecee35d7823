/**
 * Execution: one command encoder with one open compute pass; every kernel call records a
 * dispatch and its params into a uniform arena; the batch is submitted when it reaches
 * `flushEvery` dispatches, before a readback, and on sync(). Pipelines are cached by WGSL
 * source (and sources by kernel + configuration, so the string is built once). While a
 * compiled program records or replays, its commands go to its `sink` instead
 * (command-program.ts), which builds bind groups once and submits a call as one batch.
 * SR2L_WEBGPU_DEBUG=1 prints each new kernel's WGSL with line numbers and its compile messages.
 */
import type { AdapterCaps, KernelConfig, KernelDef } from './registry.js';
import { BufferPool } from './pool.js';
import { BUFFER, MAP_READ_MODE } from './gpu-consts.js';
import { PARAM_WORDS } from './wgsl.js';

interface Compiled {
  pipeline: GPUComputePipeline;
  layout: GPUBindGroupLayout;
}

export interface RuntimeOptions {
  flushEvery: number;
  debug: boolean;
}

const PARAM_BYTES = PARAM_WORDS * 4;

/** Takes the runtime's commands while a compiled program records or replays (command-program.ts). */
export interface CommandSink {
  dispatch(
    pipeline: GPUComputePipeline,
    layout: GPUBindGroupLayout,
    reads: readonly GPUBuffer[],
    writes: readonly GPUBuffer[],
    params: ArrayLike<number>,
    groups: readonly [number, number, number],
  ): void;
  copy(src: GPUBuffer, dst: GPUBuffer, bytes: number): void;
  write(dst: GPUBuffer, data: ArrayBufferView<ArrayBuffer>): void;
  /** A scratch buffer the program owns (the n-th asked for in a call), for a kernel's operand copy. */
  scratch(bytes: number): GPUBuffer;
}

export class Runtime {
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private readonly sources = new Map<string, string>();
  private readonly pipelines = new Map<string, Compiled>();
  /** Bytes between two dispatches' params (the uniform offset alignment). */
  readonly slotBytes: number;
  private readonly arena: GPUBuffer;
  private readonly arenaHost: Uint32Array<ArrayBuffer>;
  private slots = 0;
  private readonly errors: string[] = [];
  private readonly staging = new Map<number, GPUBuffer[]>();
  /** dispatches recorded since creation, for tests and benchmarks */
  dispatches = 0;
  submits = 0;
  /** Where commands go instead of the runtime's own batch (a compiled program's recorder). */
  sink: CommandSink | null = null;

  constructor(
    readonly device: GPUDevice,
    readonly pool: BufferPool,
    readonly caps: AdapterCaps,
    private readonly opts: RuntimeOptions,
  ) {
    this.slotBytes = Math.max(PARAM_BYTES, device.limits.minUniformBufferOffsetAlignment);
    this.arena = device.createBuffer({
      size: this.slotBytes * opts.flushEvery,
      usage: BUFFER.UNIFORM | BUFFER.COPY_DST,
    });
    this.arenaHost = new Uint32Array((this.slotBytes * opts.flushEvery) / 4);
    device.addEventListener('uncapturederror', (ev) => {
      const msg = (ev as GPUUncapturedErrorEvent).error.message;
      this.errors.push(msg);
      if (opts.debug) console.error(`[sr2l webgpu] ${msg}`);
    });
  }

  /** WGSL of a kernel configuration (memoized; the key is cheap because it is built per dispatch). */
  sourceOf(kernel: KernelDef, config: KernelConfig): string {
    let key = kernel.name;
    for (const k in config) key += `|${k}=${String(config[k])}`;
    let src = this.sources.get(key);
    if (src === undefined) {
      src = kernel.source(config, this.caps);
      this.sources.set(key, src);
    }
    return src;
  }

  private compiled(kernel: KernelDef, config: KernelConfig): Compiled {
    const src = this.sourceOf(kernel, config);
    let c = this.pipelines.get(src);
    if (c) return c;
    const module = this.device.createShaderModule({ code: src, label: kernel.name });
    if (this.opts.debug) {
      const numbered = src
        .split('\n')
        .map((l, i) => `${String(i + 1).padStart(4)}  ${l}`)
        .join('\n');
      console.error(`[sr2l webgpu] kernel ${kernel.name} ${JSON.stringify(config)}\n${numbered}`);
    }
    void module.getCompilationInfo().then((info) => {
      for (const m of info.messages) {
        const line = `[sr2l webgpu] ${kernel.name}:${m.lineNum}:${m.linePos} ${m.type}: ${m.message}`;
        if (m.type === 'error') this.errors.push(line);
        if (this.opts.debug || m.type === 'error') console.error(line);
      }
    });
    const pipeline = this.device.createComputePipeline({
      layout: 'auto',
      compute: { module, entryPoint: 'main' },
      label: kernel.name,
    });
    c = { pipeline, layout: pipeline.getBindGroupLayout(0) };
    this.pipelines.set(src, c);
    return c;
  }

  get pipelineCount(): number {
    return this.pipelines.size;
  }

  /** The open compute pass of the batch being recorded (opened if needed). */
  openPass(): GPUComputePassEncoder {
    if (!this.encoder) this.encoder = this.device.createCommandEncoder();
    if (!this.pass) this.pass = this.encoder.beginComputePass();
    return this.pass;
  }

  /** The batch's command encoder with no pass open (for copies). */
  closePass(): GPUCommandEncoder {
    if (!this.encoder) this.encoder = this.device.createCommandEncoder();
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
    return this.encoder;
  }

  /**
   * Records one dispatch. `reads` bind as read-only storage (bindings 1..), `writes` after
   * them as read_write; a buffer may not be both (the caller copies first).
   */
  dispatch(
    kernel: KernelDef,
    config: KernelConfig,
    reads: readonly GPUBuffer[],
    writes: readonly GPUBuffer[],
    params: ArrayLike<number>,
    groups: readonly [number, number, number],
  ): void {
    const { pipeline, layout } = this.compiled(kernel, config);
    if (params.length > PARAM_WORDS) throw new Error(`internal: ${kernel.name} has ${params.length} params`);
    if (this.sink) return this.sink.dispatch(pipeline, layout, reads, writes, params, groups);
    const slot = this.slots++;
    const at = (slot * this.slotBytes) / 4;
    for (let i = 0; i < params.length; i++) this.arenaHost[at + i] = params[i]!;
    const bindGroup = this.bindGroup(layout, this.arena, slot * this.slotBytes, reads, writes);
    const pass = this.openPass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(groups[0], groups[1], groups[2]);
    this.dispatches++;
    if (this.slots >= this.opts.flushEvery) this.flush();
  }

  /** Binding 0: the params at `offset` of `uniform`; then `reads`, then `writes`. */
  bindGroup(
    layout: GPUBindGroupLayout,
    uniform: GPUBuffer,
    offset: number,
    reads: readonly GPUBuffer[],
    writes: readonly GPUBuffer[],
  ): GPUBindGroup {
    const entries: GPUBindGroupEntry[] = [
      { binding: 0, resource: { buffer: uniform, offset, size: PARAM_BYTES } },
    ];
    let b = 1;
    for (const buf of reads) entries.push({ binding: b++, resource: { buffer: buf } });
    for (const buf of writes) entries.push({ binding: b++, resource: { buffer: buf } });
    return this.device.createBindGroup({ layout, entries });
  }

  /** Records a buffer-to-buffer copy (ends the open compute pass). */
  copy(src: GPUBuffer, dst: GPUBuffer, bytes: number): void {
    if (this.sink) return this.sink.copy(src, dst, bytes);
    this.closePass().copyBufferToBuffer(src, 0, dst, 0, bytes);
  }

  /**
   * Writes host data into a buffer. `inUse`: the buffer may be read by recorded, unsubmitted
   * work (a compiled program's planned buffer), which must run before the write lands.
   */
  write(dst: GPUBuffer, data: ArrayBufferView<ArrayBuffer>, inUse: boolean): void {
    if (this.sink) return this.sink.write(dst, data);
    if (inUse) this.flush();
    this.device.queue.writeBuffer(dst, 0, data);
  }

  /** A compiled program's own scratch buffer while it records or replays, else null. */
  scratch(bytes: number): GPUBuffer | null {
    return this.sink ? this.sink.scratch(bytes) : null;
  }

  /** Submits everything recorded so far; released buffers become reusable. */
  flush(): void {
    if (!this.encoder) {
      this.pool.settle(); // nothing unsubmitted can still use a released buffer
      return;
    }
    const enc = this.closePass();
    if (this.slots > 0) {
      this.device.queue.writeBuffer(this.arena, 0, this.arenaHost, 0, (this.slots * this.slotBytes) / 4);
    }
    this.device.queue.submit([enc.finish()]);
    this.submits++;
    this.encoder = null;
    this.slots = 0;
    this.pool.settle();
  }

  /** Copies `bytes` of `buf` to the host once all recorded work has run. */
  async read(buf: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    const size = Math.max(4, bytes);
    const staging =
      this.staging.get(size)?.pop() ??
      this.device.createBuffer({ size, usage: BUFFER.MAP_READ | BUFFER.COPY_DST });
    this.copy(buf, staging, size);
    this.flush();
    await staging.mapAsync(MAP_READ_MODE);
    const out = staging.getMappedRange().slice(0, bytes);
    staging.unmap();
    let list = this.staging.get(size);
    if (!list) this.staging.set(size, (list = []));
    if (list.length < 4) list.push(staging);
    else staging.destroy();
    this.throwErrors();
    return out;
  }

  async sync(): Promise<void> {
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
    this.throwErrors();
  }

  throwErrors(): void {
    if (this.errors.length === 0) return;
    const all = this.errors.splice(0);
    throw new Error(`webgpu backend: device reported ${all.length} error(s):\n${all.join('\n')}`);
  }

  destroy(): void {
    this.pass = null;
    this.encoder = null;
    for (const list of this.staging.values()) for (const b of list) b.destroy();
    this.staging.clear();
    this.arena.destroy();
  }
}
