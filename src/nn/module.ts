/**
 * Module: a named collection of parameters and child modules. Names are dotted paths
 * (`layers.0.weight`), in registration order, so state dicts line up with PyTorch-style
 * checkpoints. Parameters are leaf tensors that require gradients; loading a state dict
 * writes into their storage in place, so optimizers holding them keep working.
 */
import { Tensor } from '../autograd/tensor.js';
import type { Backend } from '../kernels/backend.js';
import type { FloatDType } from '../kernels/dtype.js';
import { fmtShape } from '../kernels/shape.js';
import { cloneTensor, copyInto } from './tensor-copy.js';

/** Where a module's parameters live: dtype (default float32) and backend (default: the default backend). */
export interface ModuleOptions {
  dtype?: FloatDType;
  backend?: Backend;
}

export type StateDict = ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>;

export interface LoadStateOptions {
  /** Named in error messages (a file path, for example). */
  source?: string;
}

export class Module {
  private readonly params = new Map<string, Tensor>();
  private readonly children = new Map<string, Module>();

  /** Adds a parameter under `name` (no dots); marks it as requiring gradients and names it. */
  registerParameter(name: string, t: Tensor): Tensor {
    this.checkFreeName(name);
    if (!(t instanceof Tensor)) throw new TypeError(`registerParameter: '${name}' must be a Tensor`);
    if (!t.isLeaf)
      throw new TypeError(`registerParameter: '${name}' must be a leaf tensor (detach it first)`);
    t.requireGrad(true);
    t.name ??= name;
    this.params.set(name, t);
    return t;
  }

  /** Adds a child module under `name` (no dots); its parameters appear as `name.<param>`. */
  registerModule<M extends Module>(name: string, m: M): M {
    this.checkFreeName(name);
    if (!(m instanceof Module)) throw new TypeError(`registerModule: '${name}' must be a Module`);
    this.children.set(name, m);
    for (const [n, p] of m.namedParameters()) p.name = `${name}.${n}`;
    return m;
  }

  private checkFreeName(name: string): void {
    if (typeof name !== 'string' || name === '' || name.includes('.')) {
      throw new RangeError(`Module: names must be non-empty and contain no '.', got '${String(name)}'`);
    }
    if (this.params.has(name) || this.children.has(name)) {
      throw new RangeError(`Module: '${name}' is already registered`);
    }
  }

  /** Every parameter by dotted name, in registration order (a tensor registered twice appears once). */
  namedParameters(): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    const seen = new Set<Tensor>();
    const walk = (m: Module, prefix: string): void => {
      for (const [n, p] of m.params) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.set(prefix + n, p);
      }
      for (const [n, c] of m.children) walk(c, `${prefix}${n}.`);
    };
    walk(this, '');
    return out;
  }

  parameters(): Tensor[] {
    return [...this.namedParameters().values()];
  }

  /** Direct children by name, in registration order. */
  namedChildren(): Map<string, Module> {
    return new Map(this.children);
  }

  numParameters(): number {
    let n = 0;
    for (const p of this.namedParameters().values()) n += p.size;
    return n;
  }

  zeroGrad(): void {
    for (const p of this.namedParameters().values()) p.zeroGrad();
  }

  /** Detached copies of every parameter by dotted name (a snapshot; later steps do not change it). */
  stateDict(): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    for (const [n, p] of this.namedParameters()) out.set(n, cloneTensor(p));
    return out;
  }

  /**
   * Writes a state dict's values into the parameters in place. Every key must match a
   * parameter with the same shape and dtype; nothing is written unless all do.
   */
  loadStateDict(state: StateDict, opts: LoadStateOptions = {}): void {
    const where = `loadStateDict${opts.source ? ` (${opts.source})` : ''}`;
    const entries = state instanceof Map ? [...state.entries()] : Object.entries(state);
    const own = this.namedParameters();
    const given = new Map(entries);
    const missing = [...own.keys()].filter((k) => !given.has(k));
    const unexpected = [...given.keys()].filter((k) => !own.has(k));
    if (missing.length || unexpected.length) {
      const parts = [];
      if (missing.length) parts.push(`missing keys: ${missing.join(', ')}`);
      if (unexpected.length) parts.push(`unexpected keys: ${unexpected.join(', ')}`);
      throw new Error(`${where}: ${parts.join('; ')}`);
    }
    for (const [name, p] of own) {
      const t = given.get(name)!;
      if (!(t instanceof Tensor)) throw new TypeError(`${where}: '${name}' is not a Tensor`);
      if (t.shape.length !== p.shape.length || t.shape.some((d, i) => d !== p.shape[i])) {
        throw new RangeError(
          `${where}: shape mismatch for '${name}': the module has ${fmtShape(p.shape)}, the state has ${fmtShape(t.shape)}`,
        );
      }
      if (t.dtype !== p.dtype) {
        throw new TypeError(
          `${where}: dtype mismatch for '${name}': the module has ${p.dtype}, the state has ${t.dtype}`,
        );
      }
    }
    for (const [name, p] of own) copyInto(p, given.get(name)!);
  }
}

/** An indexed list of modules; children are named '0', '1', ... */
export class ModuleList<M extends Module = Module> extends Module implements Iterable<M> {
  private readonly items: M[];
  constructor(modules: readonly M[] = []) {
    super();
    this.items = [];
    for (const m of modules) this.append(m);
  }
  append(m: M): this {
    this.registerModule(String(this.items.length), m);
    this.items.push(m);
    return this;
  }
  get length(): number {
    return this.items.length;
  }
  at(i: number): M {
    const m = this.items.at(i);
    if (!m) throw new RangeError(`ModuleList: index ${i} is out of range for length ${this.items.length}`);
    return m;
  }
  [Symbol.iterator](): Iterator<M> {
    return this.items[Symbol.iterator]();
  }
}
