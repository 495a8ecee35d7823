/**
 * Tensor: an n-dimensional array on a backend, plus what autograd needs (whether it
 * requires a gradient, its accumulated .grad, and the graph node that produced it).
 * Op methods (a.add(b), a.matmul(b), ...) are attached in methods.ts; this file holds
 * the state and the non-op behaviour.
 */
import type { Backend, Storage } from '../kernels/backend.js';
import { isFloat, type DType, type TypedArray } from '../kernels/dtype.js';
import { fmtShape, sizeOf, type Shape } from '../kernels/shape.js';

/** A gradient hook: sees the gradient flowing into a tensor and may return a replacement. */
export type GradHook = (grad: Tensor) => Tensor | void;

export interface HookHandle {
  remove(): void;
}

/** A recorded operation: the op's name, its inputs, and its vector-Jacobian product. */
export interface Node {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  /**
   * Gradients w.r.t. each input given the output's gradient. `needs[i]` says whether input i's
   * gradient is wanted (it requires grad and lies on a path to what was asked for); rules
   * return null for the others, so e.g. an input-gradient-only pass skips weight gradients.
   */
  readonly backward: (g: Tensor, needs: readonly boolean[]) => readonly (Tensor | null)[];
  readonly attrs?: Record<string, unknown>;
}

export type NestedArray = number | NestedArray[];

let nextId = 1;

export class Tensor {
  /** Unique per process; used by graph export. */
  readonly id = nextId++;
  readonly shape: readonly number[];
  readonly size: number;
  readonly dtype: DType;
  requiresGrad: boolean;
  /** Accumulated gradient (leaves, or non-leaves after retainGrad). */
  grad: Tensor | null = null;
  name: string | undefined = undefined;
  /** The op that produced this tensor; null for leaves and for results built without recording. */
  node: Node | null = null;
  hooks: GradHook[] | null = null;
  retainsGrad = false;

  constructor(
    readonly storage: Storage,
    shape: Shape,
    readonly backend: Backend,
  ) {
    this.shape = shape;
    this.size = storage.size;
    this.dtype = storage.dtype;
    this.requiresGrad = false;
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** True for tensors not produced by a recorded op (parameters, inputs, constants). */
  get isLeaf(): boolean {
    return this.node === null;
  }

  get disposed(): boolean {
    return this.storage.disposed;
  }

  /** Frees the tensor's memory now (GPU memory especially); using it afterwards is an error. */
  dispose(): void {
    if (!this.storage.disposed) this.backend.dispose(this.storage);
  }

  /** Marks a leaf as requiring a gradient (float tensors only). Returns this. */
  requireGrad(flag = true): this {
    if (flag && !isFloat(this.dtype))
      throw new TypeError(`requireGrad: ${this.dtype} tensors cannot require gradients`);
    if (!this.isLeaf && !flag)
      throw new Error('requireGrad(false): only leaves can stop requiring gradients; use detach()');
    this.requiresGrad = flag;
    return this;
  }

  /** Sets a name shown in graph exports and error messages. Returns this. */
  named(name: string): this {
    this.name = name;
    return this;
  }

  zeroGrad(): void {
    this.grad = null;
  }

  /** Calls `hook(grad)` whenever the gradient w.r.t. this tensor is computed; it may return a replacement. */
  registerHook(hook: GradHook): HookHandle {
    (this.hooks ??= []).push(hook);
    return {
      remove: () => {
        const i = this.hooks?.indexOf(hook) ?? -1;
        if (i >= 0) this.hooks!.splice(i, 1);
      },
    };
  }

  /** Keeps .grad on this non-leaf after backward(). Returns this. */
  retainGrad(): this {
    this.retainsGrad = true;
    return this;
  }

  /** The values as a typed array (a copy), on any backend. */
  async data(): Promise<TypedArray> {
    this.assertAlive('data');
    return this.backend.read(this.storage);
  }

  /** The values as a typed array (a copy), synchronously; CPU backend only. */
  dataSync(): TypedArray {
    this.assertAlive('dataSync');
    if (!this.backend.synchronous) {
      throw new Error(`dataSync: the ${this.backend.name} backend reads asynchronously; use await t.data()`);
    }
    return this.backend.readSync(this.storage).slice();
  }

  /** Nested arrays of numbers (synchronous; CPU backend only). */
  toArray(): NestedArray {
    return nest(this.dataSync(), this.shape);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1)
      throw new Error(`item: tensor of shape ${fmtShape(this.shape)} has ${this.size} elements, not 1`);
    return this.dataSync()[0]!;
  }

  assertAlive(op: string): void {
    if (this.storage.disposed) {
      throw new Error(
        `${op}: tensor${this.name ? ` '${this.name}'` : ''} of shape ${fmtShape(this.shape)} was disposed`,
      );
    }
  }

  toString(): string {
    const head = `Tensor(${fmtShape(this.shape)}, ${this.dtype}${this.name ? `, '${this.name}'` : ''}${this.requiresGrad ? ', requiresGrad' : ''}`;
    if (this.disposed) return `${head}, disposed)`;
    if (!this.backend.synchronous) return `${head}, on ${this.backend.name})`;
    const a = this.dataSync();
    const body =
      a.length <= 16 ? JSON.stringify(this.toArray()) : `[${Array.from(a.subarray(0, 8)).join(', ')}, ...]`;
    return `${head}) ${body}`;
  }
}

function nest(a: TypedArray, shape: Shape): NestedArray {
  if (shape.length === 0) return a[0]!;
  const [n, ...rest] = shape;
  const inner = sizeOf(rest);
  const out: NestedArray[] = [];
  for (let i = 0; i < n!; i++) out.push(nest(a.subarray(i * inner, (i + 1) * inner), rest));
  return out;
}
