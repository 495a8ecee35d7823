/**
 * The WebGPU backend: tensors live in GPU buffers, every kernel call records a dispatch of
 * a hand-written WGSL kernel (kernels/), and data comes back only through `read`. Create it
 * with `createWebGPUBackend()` (index.ts); it implements the same Backend interface as the
 * CPU reference, so the autograd layer runs on it unchanged.
 */
import type {
  Activation,
  AdamHyper,
  Backend,
  BinaryOp,
  CommandReplay,
  CompareOp,
  FusedSpec,
  ReduceOp,
  Storage,
  UnaryOp,
} from '../backend.js';
import type { DType, TypedArray } from '../dtype.js';
import { broadcastStrides, fmtShape, reducedShape, sizeOf, stridesOf, type Shape } from '../shape.js';
import type { AdapterReport } from './device.js';
import * as K from './kernels/index.js';
import { fusedBodyWGSL } from './kernels/fused_elementwise.js';
import { CommandProgram } from './command-program.js';
import { BufferPool, type PoolStats } from './pool.js';
import {
  getKernel,
  kernelsFor,
  type AdapterCaps,
  type KernelConfig,
  type KernelDef,
  type KernelFamily,
} from './registry.js';
import { Runtime } from './runtime.js';
import { chooseMatmul, chooseReduce } from './select.js';
import { GpuStorage } from './storage.js';
import { grid1d, MAX_RANK, wgslType } from './wgsl.js';
import { envVar } from '../../util/env-var.js';

export interface WebGPUBackendOptions {
  /** Submit after this many recorded dispatches (default 64). */
  flushEvery?: number;
  /** Idle bytes the buffer pool keeps for reuse (default 256 MiB). */
  maxIdleBytes?: number;
  /** Bytes the pool may own in total (default: the device's maxBufferSize × 2, at most 4 GiB). */
  memoryBudgetBytes?: number;
  /** Print each kernel's WGSL and compile messages (default: SR2L_WEBGPU_DEBUG=1). */
  debug?: boolean;
  /** How compiled programs replay (default: SR2L_WEBGPU_REPLAY, else 'commands'); see WebGPUBackend.replay. */
  replay?: ReplayMode;
}

/**
 * 'commands': a compiled program's bind groups and params are built once and a call is one
 * command buffer (command-program.ts). 'dispatches': a replay calls the kernels as eager
 * code does, a bind group and a params slot per dispatch (kept for comparison).
 */
export type ReplayMode = 'commands' | 'dispatches';

function replayFromEnv(): ReplayMode {
  const v = envVar('SR2L_WEBGPU_REPLAY');
  if (v === undefined || v === '' || v === 'commands') return 'commands';
  if (v === 'dispatches') return v;
  throw new RangeError(
    `SR2L_WEBGPU_REPLAY='${v}' must be 'commands' (the default: one command buffer per compiled call) or 'dispatches' (a bind group per dispatch, as eager)`,
  );
}

const F32_ONLY = 'webgpu backend supports float32 and int32';
/** Largest fill done by a host upload rather than a fill kernel. */
const HOST_FILL_MAX = 16384;

function words(...parts: (number | readonly number[])[]): Uint32Array {
  const flat: number[] = [];
  for (const p of parts) {
    if (typeof p === 'number') flat.push(p);
    else flat.push(...p);
  }
  const out = new Uint32Array(flat.length);
  for (let i = 0; i < flat.length; i++) out[i] = flat[i]! | 0;
  return out;
}

/** A list padded with zeros to MAX_RANK entries. */
function padded(xs: readonly number[]): number[] {
  const out = xs.slice();
  while (out.length < MAX_RANK) out.push(0);
  return out;
}

const f32bits = (x: number): number => new Uint32Array(new Float32Array([x]).buffer)[0]!;

function checkRank(op: string, shape: Shape): void {
  if (shape.length > MAX_RANK)
    throw new RangeError(
      `webgpu ${op}: rank ${shape.length} ${fmtShape(shape)} exceeds the supported ${MAX_RANK}`,
    );
}

export class WebGPUBackend implements Backend {
  readonly name = 'webgpu';
  readonly synchronous = false;
  readonly caps: AdapterCaps;
  private readonly pool: BufferPool;
  private readonly rt: Runtime;
  private readonly forced = new Map<KernelFamily, string>();
  private destroyed = false;
  /** How compiled programs made from now on replay (see ReplayMode). */
  replay: ReplayMode;
  /** Set by writeNextInto: the buffer the next kernel writes instead of a new one. */
  private planned: GpuStorage | null = null;
  /** Returns the buffers of garbage-collected storages to the pool. */
  private readonly finalizer = new FinalizationRegistry<GPUBuffer>((buf) => {
    if (!this.destroyed) this.pool.release(buf);
  });

  /** Dawn's instance; held until destroy() (see Acquired.instance). */
  private instance: GPU | null;

  constructor(
    instance: GPU,
    readonly device: GPUDevice,
    readonly adapter: AdapterReport,
    opts: WebGPUBackendOptions = {},
  ) {
    this.instance = instance;
    const lim = device.limits;
    this.caps = {
      software: adapter.software,
      maxInvocations: lim.maxComputeInvocationsPerWorkgroup,
      maxWorkgroupStorage: lim.maxComputeWorkgroupStorageSize,
    };
    this.replay = opts.replay ?? replayFromEnv();
    const budget = opts.memoryBudgetBytes ?? Math.min(4 * 2 ** 30, lim.maxBufferSize * 2);
    this.pool = new BufferPool(device, opts.maxIdleBytes ?? 256 * 2 ** 20, budget);
    this.rt = new Runtime(device, this.pool, this.caps, {
      flushEvery: opts.flushEvery ?? 64,
      debug: opts.debug ?? envVar('SR2L_WEBGPU_DEBUG') === '1',
    });
    // SR2L_WEBGPU_MATMUL=blocked (or matmul_blocked), SR2L_WEBGPU_REDUCE=rows, ...
    for (const fam of ['matmul', 'reduce'] as const) {
      const v = envVar(`SR2L_WEBGPU_${fam.toUpperCase()}`);
      if (v) this.forceKernel(fam, v.startsWith(`${fam}_`) ? v : `${fam}_${v}`);
    }
  }

  // --- introspection ------------------------------------------------------

  /** Forces `family` to use the registered kernel `name` (null restores the automatic choice). */
  forceKernel(family: KernelFamily, name: string | null): void {
    if (name === null) {
      this.forced.delete(family);
      return;
    }
    const k = getKernel(name);
    if (k.family !== family && !k.alsoServes?.includes(family))
      throw new RangeError(
        `webgpu forceKernel: '${name}' does not serve '${family}'; candidates: ${kernelsFor(family)
          .map((d) => d.name)
          .join(', ')}`,
      );
    this.forced.set(family, name);
  }

  memory(): PoolStats {
    return this.pool.stats();
  }

  /** Counters for tests and benchmarks. */
  stats(): { dispatches: number; submits: number; pipelines: number } {
    return { dispatches: this.rt.dispatches, submits: this.rt.submits, pipelines: this.rt.pipelineCount };
  }

  /** The WGSL a kernel compiles to for a configuration (for docs, debugging and tests). */
  wgslOf(kernel: string, config: KernelConfig): string {
    return this.rt.sourceOf(getKernel(kernel), config);
  }

  /** Frees the device; the backend is unusable afterwards. Lets Node exit promptly. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.rt.destroy();
    this.pool.trim(0);
    this.device.destroy();
    this.instance = null;
  }

  get isDestroyed(): boolean {
    return this.destroyed || this.instance === null;
  }

  // --- helpers ------------------------------------------------------------

  private gpu(s: Storage, op: string): GpuStorage {
    if (!(s instanceof GpuStorage) || s.owner !== this)
      throw new TypeError(`webgpu ${op}: storage belongs to another backend`);
    if (s.disposed) throw new Error(`webgpu ${op}: storage was disposed`);
    if (this.destroyed) throw new Error(`webgpu ${op}: the backend was destroyed`);
    return s;
  }

  fusedElementwise(spec: FusedSpec, ins: readonly Storage[], outs: readonly Storage[]): void {
    if (spec.dtype !== 'float32')
      throw new TypeError(`webgpu fusedElementwise: float32 only, got ${spec.dtype}`);
    const I = ins.map((s) => this.gpu(s, 'fusedElementwise'));
    const O = outs.map((s) => this.gpu(s, 'fusedElementwise'));
    if (spec.n === 0) return;
    const config = { code: fusedBodyWGSL(spec), nIn: I.length, nOut: O.length };
    this.run(
      this.pick('fusedElementwise', 'fused_elementwise'),
      config,
      I,
      O,
      words(spec.n),
      grid1d(spec.n, 64),
    );
  }

  writeNextInto(s: Storage): void {
    this.planned = this.gpu(s, 'writeNextInto');
  }

  commandReplay(): CommandReplay | null {
    return this.replay === 'commands' ? new CommandProgram(this.rt) : null;
  }

  private alloc(dtype: DType, size: number, hostInts: Int32Array | null = null): GpuStorage {
    const p = this.planned;
    if (p !== null) {
      // compiled replay: the output buffer was planned (outputs are allocated before any
      // scratch copy a kernel makes, so the first alloc of a call is the output)
      this.planned = null;
      if (p.dtype !== dtype || p.size !== size)
        throw new Error(
          `webgpu backend: the planned output is ${p.dtype}×${p.size}, the kernel makes ${dtype}×${size}`,
        );
      (p as { hostInts: Int32Array | null }).hostInts = hostInts;
      return p;
    }
    if (dtype === 'float64')
      throw new TypeError(
        `${F32_ONLY}; got float64 (make the tensor float32, or keep float64 work on the CPU backend)`,
      );
    if (this.destroyed) throw new Error('webgpu backend: the backend was destroyed');
    const s = new GpuStorage(dtype, size, this.pool.acquire(BufferPool.bytesFor(size)), this, hostInts);
    this.finalizer.register(s, s.buffer, s);
    return s;
  }

  private pick(family: KernelFamily, automatic: string): KernelDef {
    return getKernel(this.forced.get(family) ?? automatic);
  }

  private run(
    kernel: KernelDef,
    config: KernelConfig,
    reads: readonly GpuStorage[],
    writes: readonly GpuStorage[],
    params: Uint32Array,
    groups: readonly [number, number, number],
  ): void {
    if (kernel.supports && !kernel.supports(config, this.caps))
      throw new TypeError(`webgpu: kernel ${kernel.name} does not support ${JSON.stringify(config)}`);
    const outBufs = writes.map((w) => w.buffer);
    // a buffer bound read-only and read_write in one dispatch is a validation error: copy it
    const inBufs = reads.map((r) => (outBufs.includes(r.buffer) ? this.copyOf(r) : r.buffer));
    this.rt.dispatch(kernel, config, inBufs, outBufs, params, groups);
  }

  private copyOf(s: GpuStorage): GPUBuffer {
    const bytes = BufferPool.bytesFor(s.size);
    // a compiled program keeps its own scratch, so its bind groups stay valid across calls
    const held = this.rt.scratch(bytes);
    if (held !== null) {
      this.rt.copy(s.buffer, held, bytes);
      return held;
    }
    const o = this.alloc(s.dtype, s.size);
    this.rt.copy(s.buffer, o.buffer, bytes);
    this.dispose(o); // released after the batch that uses it is submitted
    return o.buffer;
  }

  private elementwise(
    kernel: KernelDef,
    config: KernelConfig,
    reads: GpuStorage[],
    out: GpuStorage,
    extra: number[] = [],
  ): GpuStorage {
    if (out.size > 0) this.run(kernel, config, reads, [out], words(out.size, extra), grid1d(out.size, 64));
    return out;
  }

  // --- memory -------------------------------------------------------------

  upload(data: TypedArray, owned = false): Storage {
    if (data instanceof Float64Array) throw new TypeError(`${F32_ONLY}; got a Float64Array`);
    const ints = data instanceof Int32Array ? (owned ? data : data.slice()) : null;
    const planned = this.planned !== null; // a compiled program's buffer, maybe read by recorded work
    const s = this.alloc(data instanceof Int32Array ? 'int32' : 'float32', data.length, ints);
    // the cast: lib.dom's WebGPU types (the dashboard page's typecheck) refuse a possibly shared buffer
    if (data.length > 0) this.rt.write(s.buffer, data as ArrayBufferView<ArrayBuffer>, planned);
    return s;
  }

  fill(dtype: DType, size: number, value: number): Storage {
    wgslType(dtype); // float64 fails here, with the supported dtypes named
    if (dtype === 'int32' || size > HOST_FILL_MAX) {
      const s = this.alloc(dtype, size);
      const bits = dtype === 'int32' ? Math.trunc(value) : f32bits(value);
      return this.elementwise(K.fill, { type: wgslType(dtype) }, [], s, [bits]);
    }
    const host = new Float32Array(size);
    if (value !== 0) host.fill(value);
    return this.upload(host, true);
  }

  async read(s: Storage): Promise<TypedArray> {
    const g = this.gpu(s, 'read');
    const bytes = await this.rt.read(g.buffer, g.size * 4);
    return g.dtype === 'int32' ? new Int32Array(bytes) : new Float32Array(bytes);
  }

  readSync(_s: Storage): TypedArray {
    throw new Error(
      'webgpu backend: reads are asynchronous; use `await t.data()` (readSync/dataSync work on the CPU backend only)',
    );
  }

  dispose(s: Storage): void {
    const g = this.gpu(s, 'dispose');
    g.disposed = true;
    this.finalizer.unregister(g);
    this.pool.release(g.buffer);
  }

  sync(): Promise<void> {
    return this.rt.sync();
  }

  /** Submits what has been recorded without waiting for it. */
  flush(): void {
    this.rt.flush();
  }

  // --- elementwise ----------------------------------------------------------

  unary(op: UnaryOp, x: Storage): Storage {
    const X = this.gpu(x, op);
    const type = wgslType(X.dtype);
    if (!K.unary.supports!({ op, type }, this.caps))
      throw new TypeError(`webgpu unary: '${op}' is not defined for ${X.dtype} tensors`);
    return this.elementwise(K.unary, { op, type }, [X], this.alloc(X.dtype, X.size));
  }

  binary(op: BinaryOp, a: Storage, aShape: Shape, b: Storage, bShape: Shape, outShape: Shape): Storage {
    return this.broadcast2(op, a, aShape, b, bShape, outShape);
  }

  compare(op: CompareOp, a: Storage, aShape: Shape, b: Storage, bShape: Shape, outShape: Shape): Storage {
    return this.broadcast2(op, a, aShape, b, bShape, outShape);
  }

  private broadcast2(
    op: string,
    a: Storage,
    aShape: Shape,
    b: Storage,
    bShape: Shape,
    outShape: Shape,
  ): Storage {
    const A = this.gpu(a, op);
    const B = this.gpu(b, op);
    const n = sizeOf(outShape);
    const out = this.alloc(A.dtype, n);
    const mode =
      A.size === n && B.size === n
        ? 'same'
        : A.size === 1 && B.size === n
          ? 'scalarA'
          : B.size === 1 && A.size === n
            ? 'scalarB'
            : 'strided';
    const config = { op, type: wgslType(A.dtype), mode };
    if (mode !== 'strided') return this.elementwise(K.binary, config, [A, B], out);
    checkRank(op, outShape);
    const extra = [
      outShape.length,
      ...padded(outShape),
      ...padded(broadcastStrides(aShape, outShape)),
      ...padded(broadcastStrides(bShape, outShape)),
    ];
    return this.elementwise(K.binary, config, [A, B], out, extra);
  }

  where(
    cond: Storage,
    condShape: Shape,
    a: Storage,
    aShape: Shape,
    b: Storage,
    bShape: Shape,
    outShape: Shape,
  ): Storage {
    const C = this.gpu(cond, 'where');
    const A = this.gpu(a, 'where');
    const B = this.gpu(b, 'where');
    checkRank('where', outShape);
    const extra = [
      outShape.length,
      ...padded(outShape),
      ...padded(broadcastStrides(condShape, outShape)),
      ...padded(broadcastStrides(aShape, outShape)),
      ...padded(broadcastStrides(bShape, outShape)),
    ];
    const config = { type: wgslType(A.dtype), condType: wgslType(C.dtype) };
    return this.elementwise(K.where, config, [C, A, B], this.alloc(A.dtype, sizeOf(outShape)), extra);
  }

  cast(x: Storage, dtype: DType): Storage {
    const X = this.gpu(x, 'cast');
    if (dtype === 'float64') throw new TypeError(`${F32_ONLY}; cannot cast to float64`);
    if (dtype === X.dtype) return this.copyInto(X, this.alloc(dtype, X.size));
    return this.elementwise(
      K.cast,
      { from: wgslType(X.dtype), to: wgslType(dtype) },
      [X],
      this.alloc(dtype, X.size),
    );
  }

  private copyInto(src: GpuStorage, dst: GpuStorage): GpuStorage {
    if (src.size > 0) this.rt.copy(src.buffer, dst.buffer, src.size * 4);
    return dst;
  }

  // --- reductions -----------------------------------------------------------

  reduce(op: ReduceOp, x: Storage, shape: Shape, axes: readonly number[]): Storage {
    const X = this.gpu(x, op);
    const outCount = sizeOf(reducedShape(shape, axes));
    const out = this.alloc(X.dtype, outCount);
    if (outCount === 0) return out;
    // merge runs of adjacent kept / reduced axes (the input is contiguous)
    const st = stridesOf(shape);
    const kept: [number, number][] = [];
    const red: [number, number][] = [];
    let prev: boolean | null = null;
    for (let d = 0; d < shape.length; d++) {
      if (shape[d] === 1) continue;
      const isRed = axes.includes(d);
      const list = isRed ? red : kept;
      if (prev === isRed && list.length) {
        const last = list[list.length - 1]!;
        last[0] *= shape[d]!;
        last[1] = st[d]!;
      } else list.push([shape[d]!, st[d]!]);
      prev = isRed;
    }
    const redCount = sizeOf(red.map((r) => r[0]));
    if (redCount === 0 && op === 'max') throw new RangeError('webgpu max: cannot reduce an empty axis');
    const params = words(
      outCount,
      redCount,
      kept.length,
      red.length,
      padded(kept.map((k) => k[0])),
      padded(kept.map((k) => k[1])),
      padded(red.map((r) => r[0])),
      padded(red.map((r) => r[1])),
      op === 'sum' ? 0 : X.dtype === 'int32' ? -2147483648 : f32bits(-Infinity),
    );
    const kernel = this.pick('reduce', chooseReduce(outCount, redCount, this.caps));
    const groups = kernel.name === 'reduce_workgroup' ? grid1d(outCount, 1) : grid1d(outCount, 64);
    this.run(kernel, { op, type: wgslType(X.dtype) }, [X], [out], params, groups);
    return out;
  }

  // --- linear algebra -------------------------------------------------------

  private gemm(
    A: GpuStorage,
    B: GpuStorage,
    bias: GpuStorage | null,
    m: number,
    n: number,
    k: number,
    transA: boolean,
    transB: boolean,
    act: Activation,
    batch: { shape: number[]; aStrides: number[]; bStrides: number[] },
    family: 'matmul' | 'linear' | 'stackedLinear',
  ): GpuStorage {
    if (A.dtype !== 'float32')
      throw new TypeError(`webgpu ${family}: needs float32 operands, got ${A.dtype}`);
    const batches = sizeOf(batch.shape);
    const out = this.alloc('float32', batches * m * n);
    if (out.size === 0) return out;
    // K = 0 needs no special case: the kernels' K loops run zero times and the epilogue adds bias + act
    if (batches > 65535) throw new RangeError(`webgpu ${family}: ${batches} batches exceed 65535`);
    const kernel = this.pick(family, chooseMatmul(m, n, k, this.caps));
    const pad4 = (xs: number[]): number[] => [...xs, 0, 0, 0, 0].slice(0, 4);
    const params = words(
      m,
      n,
      k,
      batch.shape.length,
      pad4(batch.shape),
      pad4(batch.aStrides),
      pad4(batch.bStrides),
    );
    if (!kernel.tile) throw new Error(`internal: matmul kernel ${kernel.name} declares no tile`);
    const [tm, tn] = kernel.tile;
    const reads = bias ? [A, B, bias] : [A, B];
    const config = { transA, transB, bias: bias !== null, act, stackedBias: family === 'stackedLinear' };
    this.run(kernel, config, reads, [out], params, [Math.ceil(n / tn), Math.ceil(m / tm), batches]);
    return out;
  }

  matmul(
    a: Storage,
    aShape: Shape,
    b: Storage,
    bShape: Shape,
    transA: boolean,
    transB: boolean,
    outShape: Shape,
  ): Storage {
    const A = this.gpu(a, 'matmul');
    const B = this.gpu(b, 'matmul');
    const r = outShape.length;
    const m = outShape[r - 2]!;
    const n = outShape[r - 1]!;
    const k = transA ? aShape[aShape.length - 2]! : aShape[aShape.length - 1]!;
    const batchShape = outShape.slice(0, r - 2);
    // drop size-1 batch dims: they index nothing
    const keep = batchShape.map((d, i) => (d === 1 ? -1 : i)).filter((i) => i >= 0);
    if (keep.length > 4)
      throw new RangeError(`webgpu matmul: more than 4 batch dimensions in ${fmtShape(outShape)}`);
    const aMat = aShape[aShape.length - 2]! * aShape[aShape.length - 1]!;
    const bMat = bShape[bShape.length - 2]! * bShape[bShape.length - 1]!;
    const aSt = broadcastStrides(aShape.slice(0, -2), batchShape);
    const bSt = broadcastStrides(bShape.slice(0, -2), batchShape);
    const batch = {
      shape: keep.map((i) => batchShape[i]!),
      aStrides: keep.map((i) => aSt[i]! * aMat),
      bStrides: keep.map((i) => bSt[i]! * bMat),
    };
    return this.gemm(A, B, null, m, n, k, transA, transB, 'none', batch, 'matmul');
  }

  linear(
    x: Storage,
    w: Storage,
    b: Storage | null,
    m: number,
    k: number,
    n: number,
    act: Activation,
  ): Storage {
    const X = this.gpu(x, 'linear');
    const W = this.gpu(w, 'linear');
    const Bi = b ? this.gpu(b, 'linear') : null;
    return this.gemm(
      X,
      W,
      Bi,
      m,
      n,
      k,
      false,
      false,
      act,
      { shape: [], aStrides: [], bStrides: [] },
      'linear',
    );
  }

  stackedLinear(
    x: Storage,
    w: Storage,
    b: Storage | null,
    s: number,
    m: number,
    k: number,
    n: number,
    act: Activation,
  ): Storage {
    const X = this.gpu(x, 'stackedLinear');
    const W = this.gpu(w, 'stackedLinear');
    const Bi = b ? this.gpu(b, 'stackedLinear') : null;
    // one dispatch for the population: grid z = slice, each slice reading its own W and bias row
    const batch = { shape: [s], aStrides: [m * k], bStrides: [k * n] };
    return this.gemm(X, W, Bi, m, n, k, false, false, act, batch, 'stackedLinear');
  }

  activationGrad(act: Activation, y: Storage, g: Storage): Storage {
    const Y = this.gpu(y, 'activationGrad');
    const G = this.gpu(g, 'activationGrad');
    return this.elementwise(K.activationGrad, { act }, [Y, G], this.alloc(G.dtype, G.size));
  }

  // --- movement -------------------------------------------------------------

  strided(x: Storage, outShape: Shape, strides: readonly number[], offset: number): Storage {
    const X = this.gpu(x, 'strided');
    checkRank('strided', outShape);
    const extra = [outShape.length, offset, ...padded(outShape), ...padded(strides)];
    return this.elementwise(
      K.strided,
      { type: wgslType(X.dtype) },
      [X],
      this.alloc(X.dtype, sizeOf(outShape)),
      extra,
    );
  }

  scatterStrided(
    x: Storage,
    xShape: Shape,
    outShape: Shape,
    strides: readonly number[],
    offset: number,
  ): Storage {
    const X = this.gpu(x, 'scatterStrided');
    const type = wgslType(X.dtype);
    const out = this.alloc(X.dtype, sizeOf(outShape));
    if (out.size === 0) return out;
    this.run(K.fill, { type }, [], [out], words(out.size, 0), grid1d(out.size, 64));
    this.scatterInto(X, xShape, out, strides, offset);
    return out;
  }

  private scatterInto(
    X: GpuStorage,
    xShape: Shape,
    out: GpuStorage,
    strides: readonly number[],
    offset: number,
  ): void {
    checkRank('scatterStrided', xShape);
    if (X.size === 0) return;
    const params = words(X.size, xShape.length, offset, padded(xShape), padded(strides));
    this.run(K.scatterStrided, { type: wgslType(X.dtype) }, [X], [out], params, grid1d(X.size, 64));
  }

  concat(xs: readonly Storage[], shapes: readonly Shape[], axis: number, outShape: Shape): Storage {
    const Xs = xs.map((x) => this.gpu(x, 'concat'));
    const out = this.alloc(Xs[0]!.dtype, sizeOf(outShape));
    const st = stridesOf(outShape);
    let at = 0;
    Xs.forEach((X, t) => {
      this.scatterInto(X, shapes[t]!, out, st, at * st[axis]!);
      at += shapes[t]![axis]!;
    });
    return out;
  }

  private blocks(shape: Shape, axis: number): [number, number, number] {
    return [sizeOf(shape.slice(0, axis)), shape[axis]!, sizeOf(shape.slice(axis + 1))];
  }

  private checkIndices(I: GpuStorage, len: number, op: string, axis: number): void {
    if (I.dtype !== 'int32') throw new TypeError(`webgpu ${op}: indices must be int32, got ${I.dtype}`);
    const host = I.hostInts;
    if (!host) return; // computed on the device: out-of-range entries give NaN (gather) or are dropped
    for (const v of host)
      if (!(v >= 0 && v < len))
        throw new RangeError(`${op}: index ${v} is out of range for axis ${axis} of size ${len}`);
  }

  gather(x: Storage, xShape: Shape, idx: Storage, axis: number, outShape: Shape): Storage {
    const X = this.gpu(x, 'gather');
    const I = this.gpu(idx, 'gather');
    const [, len, inner] = this.blocks(xShape, axis);
    this.checkIndices(I, len, 'gather', axis);
    const out = this.alloc(X.dtype, sizeOf(outShape));
    const missing = X.dtype === 'int32' ? 0 : f32bits(NaN);
    return this.elementwise(K.gather, { type: wgslType(X.dtype) }, [X, I], out, [
      inner,
      I.size,
      len,
      missing,
    ]);
  }

  scatterAdd(g: Storage, _gShape: Shape, idx: Storage, axis: number, outShape: Shape): Storage {
    const G = this.gpu(g, 'scatterAdd');
    const I = this.gpu(idx, 'scatterAdd');
    const [, len, inner] = this.blocks(outShape, axis);
    this.checkIndices(I, len, 'scatterAdd', axis);
    const out = this.alloc(G.dtype, sizeOf(outShape));
    return this.elementwise(K.scatterAdd, { type: wgslType(G.dtype) }, [G, I], out, [inner, I.size, len]);
  }

  // --- optimizers -------------------------------------------------------------

  adamUpdate(p: Storage, g: Storage, m: Storage, v: Storage, h: AdamHyper): void {
    const [P, G, M, V] = [p, g, m, v].map((s) => this.gpu(s, 'adamUpdate')) as [
      GpuStorage,
      GpuStorage,
      GpuStorage,
      GpuStorage,
    ];
    if (P.size === 0) return;
    const c1 = 1 - Math.pow(h.beta1, h.step);
    const c2 = 1 - Math.pow(h.beta2, h.step);
    const params = words(P.size, [h.lr, h.beta1, h.beta2, h.eps, h.weightDecay, c1, c2].map(f32bits));
    this.run(K.adam, {}, [G], [P, M, V], params, grid1d(P.size, 64));
  }

  axpy(p: Storage, x: Storage, alpha: number): void {
    const P = this.gpu(p, 'axpy');
    const X = this.gpu(x, 'axpy');
    if (P.size > 0) this.run(K.axpy, {}, [X], [P], words(P.size, f32bits(alpha)), grid1d(P.size, 64));
  }

  assign(dst: Storage, src: Storage): void {
    const D = this.gpu(dst, 'assign');
    const S = this.gpu(src, 'assign');
    if (D.buffer !== S.buffer) this.copyInto(S, D);
  }
}
