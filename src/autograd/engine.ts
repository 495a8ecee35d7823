/**
 * Reverse-mode traversal. One iterative topological sort (no recursion, so graphs of any
 * depth work), then each node's backward rule runs once, in reverse order, on the summed
 * gradient of its output. Rules are written with differentiable ops, so with
 * createGraph the gradients are themselves recorded and can be differentiated again.
 */
import { fmtShape, shapesEqual } from '../kernels/shape.js';
import { popBackwardContext, pushBackwardContext } from './anomaly.js';
import { withGradMode } from './grad-mode.js';
import type { Tensor } from './tensor.js';
import { add } from './ops/binary.js';

export interface BackwardOptions {
  /** Record the backward pass so its results can be differentiated again. */
  createGraph?: boolean;
}

/** Tensors that require grad reachable from the roots, inputs before the tensors built from them. */
export function topoSort(roots: readonly Tensor[]): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  const stack: [Tensor, number][] = [];
  for (const r of roots) {
    if (!r.requiresGrad || seen.has(r)) continue;
    seen.add(r);
    stack.push([r, 0]);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const [t, i] = top;
      const inputs = t.node ? t.node.inputs : [];
      if (i < inputs.length) {
        top[1] = i + 1;
        const x = inputs[i]!;
        if (x.requiresGrad && !seen.has(x)) {
          seen.add(x);
          stack.push([x, 0]);
        }
      } else {
        stack.pop();
        order.push(t);
      }
    }
  }
  return order;
}

/**
 * Propagates `rootGrads` from `roots` back through the graph.
 * - accumulate: add into .grad of leaves (and of non-leaves that retain their gradient);
 * - targets: return the gradients w.r.t. these tensors, visiting only nodes on a path to them.
 */
export function runBackward(
  roots: readonly Tensor[],
  rootGrads: readonly Tensor[],
  opts: { createGraph: boolean; accumulate: boolean; targets?: readonly Tensor[] },
): Map<Tensor, Tensor> {
  const order = topoSort(roots);
  let needed: Set<Tensor> | null = null;
  const targets = opts.targets ? new Set(opts.targets) : null;
  if (targets) {
    needed = new Set();
    for (const t of order) {
      if (targets.has(t) || (t.node && t.node.inputs.some((x) => needed!.has(x)))) needed.add(t);
    }
  }
  const grads = new Map<Tensor, Tensor>();
  const accum = (t: Tensor, g: Tensor): void => {
    const prev = grads.get(t);
    grads.set(t, prev ? withGradMode(opts.createGraph, () => add(prev, g)) : g);
  };
  roots.forEach((r, i) => {
    if (r.requiresGrad) accum(r, rootGrads[i]!);
  });
  const result = new Map<Tensor, Tensor>();
  for (let idx = order.length - 1; idx >= 0; idx--) {
    const t = order[idx]!;
    let g = grads.get(t);
    if (!g) continue;
    grads.delete(t);
    if (needed && !needed.has(t)) continue;
    if (t.hooks) {
      for (const h of t.hooks.slice()) {
        const r = h(g);
        if (r) {
          if (!shapesEqual(r.shape, t.shape)) {
            throw new Error(
              `gradient hook: returned shape ${fmtShape(r.shape)} for a tensor of shape ${fmtShape(t.shape)}`,
            );
          }
          g = r;
        }
      }
    }
    if (targets?.has(t)) result.set(t, g);
    if (opts.accumulate && (t.isLeaf || t.retainsGrad)) {
      const gg = g;
      t.grad = t.grad ? withGradMode(opts.createGraph, () => add(t.grad!, gg)) : gg;
    }
    const node = t.node;
    if (!node) continue;
    const needs = node.inputs.map((x) => x.requiresGrad && (!needed || needed.has(x)));
    if (!needs.includes(true)) continue;
    pushBackwardContext(node.op);
    let ins: readonly (Tensor | null)[];
    try {
      const gIn = g;
      ins = withGradMode(opts.createGraph, () => node.backward(gIn, needs));
    } finally {
      popBackwardContext();
    }
    for (let i = 0; i < node.inputs.length; i++) {
      const x = node.inputs[i]!;
      const gx = ins[i];
      if (!gx || !needs[i]) continue;
      if (!shapesEqual(gx.shape, x.shape)) {
        throw new Error(
          `internal: the backward rule of '${node.op}' returned a gradient of shape ${fmtShape(gx.shape)} for input ${i} of shape ${fmtShape(x.shape)}`,
        );
      }
      accum(x, gx);
    }
  }
  return result;
}
