/**
 * Arguments and results of a compiled function as trees: arrays and plain objects whose
 * leaves are Tensors or static values (numbers, strings, booleans, null, undefined).
 * The tensors are the program's inputs and outputs; the rest, with every tensor's dtype
 * and shape, is the cache key (a new static value or shape traces again).
 */
import { fmtShape } from '../../kernels/shape.js';
import { Tensor } from '../tensor.js';

export interface Flat {
  tensors: Tensor[];
  /** The tree with tensor i replaced by a marker; rebuilds results. */
  skeleton: unknown;
  /** dtype, shape, static values and which tensors share storage. */
  key: string;
  /** The tensors' dtypes and shapes and the static values, for people. */
  signature: string;
}

const MARK = Symbol('tensor');
interface Hole {
  [MARK]: number;
}

function isHole(x: unknown): x is Hole {
  return typeof x === 'object' && x !== null && MARK in x;
}

/**
 * Splits a tree into its tensors and the rest; `what` names it in errors. `full` false
 * skips the skeleton and the signature (a replay needs only the tensors and the key:
 * this runs on every call of a compiled function).
 */
export function flatten(tree: unknown, what: string, full = true): Flat {
  const tensors: Tensor[] = [];
  const keyParts: string[] = [];
  const sig: string[] = [];
  const seen = new Map<unknown, number>();
  const walk = (x: unknown, path: string): unknown => {
    if (x instanceof Tensor) {
      const i = tensors.length;
      tensors.push(x);
      // the same storage twice must stay one buffer in the program
      const first = seen.get(x.storage);
      if (first === undefined) seen.set(x.storage, i);
      keyParts.push(`${x.dtype}${fmtShape(x.shape)}${first === undefined ? '' : `=${first}`}`);
      if (!full) return undefined;
      sig.push(`${x.dtype}${fmtShape(x.shape)}`);
      return { [MARK]: i } as Hole;
    }
    if (Array.isArray(x)) {
      keyParts.push(`[${x.length}`);
      const r = full ? x.map((v, i) => walk(v, `${path}[${i}]`)) : x.forEach((v) => walk(v, ''));
      keyParts.push(']');
      return r;
    }
    if (typeof x === 'object' && x !== null) {
      const proto = Object.getPrototypeOf(x) as unknown;
      if (proto !== Object.prototype && proto !== null)
        throw new TypeError(
          `compile: ${what}${path} is a ${(x as object).constructor?.name ?? 'class instance'}; compiled functions take and return tensors, numbers, strings, booleans and arrays or plain objects of them (capture other objects in the closure)`,
        );
      const r: Record<string, unknown> = {};
      keyParts.push('{');
      for (const k of Object.keys(x)) {
        keyParts.push(JSON.stringify(k));
        r[k] = walk((x as Record<string, unknown>)[k], full ? `${path}.${k}` : '');
      }
      keyParts.push('}');
      return r;
    }
    if (typeof x === 'function' || typeof x === 'symbol' || typeof x === 'bigint')
      throw new TypeError(`compile: ${what}${path} is a ${typeof x}, which a compiled function cannot take`);
    keyParts.push(x === undefined ? 'u' : JSON.stringify(x));
    if (full && x !== undefined) sig.push(JSON.stringify(x));
    return x;
  };
  let skeleton: unknown;
  try {
    skeleton = walk(tree, '');
  } catch (e) {
    // the lean walk does not track paths: the full one raises the error naming the place
    if (!full) flatten(tree, what);
    throw e;
  }
  return { tensors, skeleton, key: keyParts.join(','), signature: sig.join(', ') };
}

/** The tree with its tensor markers replaced by `tensors`. */
export function unflatten(skeleton: unknown, tensors: readonly Tensor[]): unknown {
  if (isHole(skeleton)) return tensors[skeleton[MARK]];
  if (Array.isArray(skeleton)) return skeleton.map((v) => unflatten(v, tensors));
  if (typeof skeleton === 'object' && skeleton !== null) {
    const r: Record<string, unknown> = {};
    for (const k of Object.keys(skeleton))
      r[k] = unflatten((skeleton as Record<string, unknown>)[k], tensors);
    return r;
  }
  return skeleton;
}
