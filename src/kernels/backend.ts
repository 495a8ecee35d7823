/**
 * The Backend interface: everything the autograd layer needs from a device. A backend
 * owns opaque Storage handles; kernels take storages plus shape metadata and return a
 * new storage. Kernels may run asynchronously (WebGPU records them and runs them later),
 * so the only ways to look at data are `read` (always works, async) and `readSync`
 * (synchronous backends only). All tensors handed to kernels are contiguous row-major.
 */
import type { DType, TypedArray } from './dtype.js';
import type { Shape } from './shape.js';

export interface Storage {
  readonly dtype: DType;
  /** number of elements */
  readonly size: number;
  /** set by Backend.dispose; ops on a disposed storage are an error */
  disposed: boolean;
}

export type UnaryOp =
  | 'neg'
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'tanh'
  | 'relu'
  | 'sigmoid'
  | 'softplus'
  | 'abs'
  | 'sign'
  | 'square'
  | 'reciprocal';

export const UNARY_OPS: readonly UnaryOp[] = [
  'neg',
  'exp',
  'log',
  'sqrt',
  'tanh',
  'relu',
  'sigmoid',
  'softplus',
  'abs',
  'sign',
  'square',
  'reciprocal',
];

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum';
export type CompareOp = 'lt' | 'le' | 'gt' | 'ge' | 'eq' | 'ne';
export type ReduceOp = 'sum' | 'max';
/** Activations the fused linear kernel applies after the bias. */
export type Activation = 'none' | 'tanh' | 'relu' | 'sigmoid';

export const BINARY_OPS: readonly BinaryOp[] = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum'];
export const COMPARE_OPS: readonly CompareOp[] = ['lt', 'le', 'gt', 'ge', 'eq', 'ne'];
export const ACTIVATIONS: readonly Activation[] = ['none', 'tanh', 'relu', 'sigmoid'];

export interface AdamHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** 1-based step count, for bias correction */
  step: number;
}

/** One op of a fused elementwise kernel: operands are kernel inputs or earlier op results. */
export interface FusedOp {
  op: UnaryOp | BinaryOp | CompareOp;
  /** { input: k }: input k (element i, or element 0 of a scalar input); { value: j }: op j's result */
  args: readonly ({ input: number } | { value: number })[];
}

/**
 * A fused elementwise kernel (compiled steps, autograd/compile/fuse.ts): for every element
 * i < n, run `ops` in order and write the results named in `stores` to the outputs.
 * Each backend generates its own code for it (a JavaScript loop, a WGSL kernel).
 */
export interface FusedSpec {
  n: number;
  dtype: DType;
  /** per input: read once (element 0) rather than per element */
  scalar: readonly boolean[];
  ops: readonly FusedOp[];
  /** op result `value` goes to output `out` */
  stores: readonly { value: number; out: number }[];
}

export interface Backend {
  readonly name: string;
  /** True when readSync works (kernels run eagerly on the host). */
  readonly synchronous: boolean;

  // --- memory -----------------------------------------------------------
  /** Copies host data into a new storage; with `owned` the backend may keep the array itself. */
  upload(data: TypedArray, owned?: boolean): Storage;
  /** A storage of `size` elements, every one equal to `value`. */
  fill(dtype: DType, size: number, value: number): Storage;
  read(s: Storage): Promise<TypedArray>;
  /** Synchronous read; throws on asynchronous backends. */
  readSync(s: Storage): TypedArray;
  dispose(s: Storage): void;
  /** Waits until every recorded kernel has run (a no-op on synchronous backends). */
  sync(): Promise<void>;

  // --- elementwise ------------------------------------------------------
  unary(op: UnaryOp, x: Storage): Storage;
  /** out = a (op) b with NumPy broadcasting of aShape and bShape to outShape. */
  binary(op: BinaryOp, a: Storage, aShape: Shape, b: Storage, bShape: Shape, outShape: Shape): Storage;
  /** out = 1 where the comparison holds else 0, in the inputs' dtype. */
  compare(op: CompareOp, a: Storage, aShape: Shape, b: Storage, bShape: Shape, outShape: Shape): Storage;
  /** out = cond != 0 ? a : b, all three broadcast to outShape. */
  where(
    cond: Storage,
    condShape: Shape,
    a: Storage,
    aShape: Shape,
    b: Storage,
    bShape: Shape,
    outShape: Shape,
  ): Storage;
  cast(x: Storage, dtype: DType): Storage;

  // --- reductions -------------------------------------------------------
  /** Reduces `axes` (sorted, distinct) of x; the result has the keepdims shape. */
  reduce(op: ReduceOp, x: Storage, shape: Shape, axes: readonly number[]): Storage;

  // --- linear algebra ---------------------------------------------------
  /**
   * Batched matrix product op(A) · op(B). aShape/bShape are at least 2-D; their leading
   * (batch) dimensions broadcast to outShape's. transA/transB transpose the last two dims.
   */
  matmul(
    a: Storage,
    aShape: Shape,
    b: Storage,
    bShape: Shape,
    transA: boolean,
    transB: boolean,
    outShape: Shape,
  ): Storage;
  /** Fused act(x·W + b) for x [M, K], W [K, N], b [N] or null. */
  linear(
    x: Storage,
    w: Storage,
    b: Storage | null,
    m: number,
    k: number,
    n: number,
    act: Activation,
  ): Storage;
  /**
   * S fused linear layers at once (a population of networks): slice s of the output is
   * act(x[s]·W[s] + b[s]) for x [S, M, K], W [S, K, N], b [S, N] or null. Each slice must
   * be computed exactly as `linear` computes it alone, so a stacked network reproduces S
   * separate ones.
   */
  stackedLinear(
    x: Storage,
    w: Storage,
    b: Storage | null,
    s: number,
    m: number,
    k: number,
    n: number,
    act: Activation,
  ): Storage;
  /** The gradient through an activation, written in terms of its output y: g · act'(y). */
  activationGrad(act: Activation, y: Storage, g: Storage): Storage;

  // --- movement ---------------------------------------------------------
  /** Gathers a contiguous outShape from x read at `offset + Σ index·strides` (permute, broadcast, slice). */
  strided(x: Storage, outShape: Shape, strides: readonly number[], offset: number): Storage;
  /** Zeros of outShape with x written at `offset + Σ index·strides` (the adjoint of strided, no overlap). */
  scatterStrided(
    x: Storage,
    xShape: Shape,
    outShape: Shape,
    strides: readonly number[],
    offset: number,
  ): Storage;
  /** Concatenation along `axis`. */
  concat(xs: readonly Storage[], shapes: readonly Shape[], axis: number, outShape: Shape): Storage;
  /** out[..., i, ...] = x[..., idx[i], ...] along axis; idx is int32 of any shape (flattened into axis). */
  gather(x: Storage, xShape: Shape, idx: Storage, axis: number, outShape: Shape): Storage;
  /** The adjoint of gather: zeros of outShape with g's slices added at the indexed positions. */
  scatterAdd(g: Storage, gShape: Shape, idx: Storage, axis: number, outShape: Shape): Storage;

  // --- optimizers (in place, never recorded) ------------------------------
  /** Adam (or AdamW when weightDecay > 0) update of p, m, v in place from gradient g. */
  adamUpdate(p: Storage, g: Storage, m: Storage, v: Storage, h: AdamHyper): void;
  /** p += alpha · x in place. */
  axpy(p: Storage, x: Storage, alpha: number): void;
  /** Copies src into dst in place (same size and dtype). */
  assign(dst: Storage, src: Storage): void;

  // --- compiled replay (optional) -----------------------------------------
  /**
   * The next kernel that returns a storage writes into `s` (same dtype and size) and
   * returns it instead of allocating. Compiled steps (autograd/compile) replay their
   * program this way on preallocated buffers; a backend without it runs them eagerly.
   */
  writeNextInto?(s: Storage): void;
  /** Runs a fused elementwise kernel, writing `outs` in place; a backend without it is not fused. */
  fusedElementwise?(spec: FusedSpec, ins: readonly Storage[], outs: readonly Storage[]): void;
  /**
   * Whether a fused kernel for `spec` is expected to beat the unfused kernels here; the
   * compile planner leaves runs it declines unfused. Absent: fusion always pays.
   */
  fusionPays?(spec: FusedSpec): boolean;
  /**
   * A recorder for one compiled program, or null where kernel calls are already cheap. A
   * program runs all its kernel calls of a call inside `run(body)`, so the backend can
   * build what they need once (WebGPU: bind groups and uniforms) and submit them together.
   */
  commandReplay?(): CommandReplay | null;
}

/** See Backend.commandReplay. */
export interface CommandReplay {
  /** Runs `body` (the same kernel calls, in the same order, on every call) and submits its work. */
  run(body: () => void): void;
  /** Frees what the recording holds; the program calls it when it is disposed. */
  dispose(): void;
  /** One line for explain(): what was recorded. */
  describe(): string;
  /**
   * Storages the program binds by reference (captured tensors): while they keep their
   * device memory, steps whose commands cannot change may be skipped (see skipTo).
   */
  watch(storages: readonly Storage[]): void;
  /** How many commands this call has recorded or replayed so far. */
  position(): number;
  /**
   * Moves past the commands up to `position` as if the step that issued them had run, when
   * it may: replaying, and no watched storage changed. False (nothing moved): run the step.
   */
  skipTo(position: number): boolean;
}
