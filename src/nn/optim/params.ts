/** The ways to hand parameters to an optimizer or to clipGradNorm, brought to one named map. */
import { Tensor } from '../../autograd/tensor.js';
import { Module } from '../module.js';

/** A module, a name → tensor map (module.namedParameters()), or a list of tensors (named '0', '1', ...). */
export type ParamsLike = Module | ReadonlyMap<string, Tensor> | Iterable<Tensor>;

export function namedParams(params: ParamsLike, who: string): Map<string, Tensor> {
  const entries: [string, Tensor][] =
    params instanceof Module
      ? [...params.namedParameters()]
      : params instanceof Map
        ? [...(params as ReadonlyMap<string, Tensor>)]
        : [...(params as Iterable<Tensor>)].map((t, i) => [String(i), t]);
  const out = new Map<string, Tensor>();
  const seen = new Map<Tensor, string>();
  for (const [name, t] of entries) {
    if (!(t instanceof Tensor)) throw new TypeError(`${who}: parameter '${name}' is not a Tensor`);
    if (!t.isLeaf || !t.requiresGrad) {
      throw new TypeError(`${who}: parameter '${name}' must be a leaf tensor that requires gradients`);
    }
    const dup = seen.get(t);
    if (dup !== undefined)
      throw new RangeError(`${who}: parameters '${dup}' and '${name}' are the same tensor`);
    seen.set(t, name);
    out.set(name, t);
  }
  return out;
}
