/**
 * Functional transforms in the style of JAX and torch.func: grad, valueAndGrad, vjp,
 * jvp and hvp. They return fresh gradient tensors and never touch .grad.
 *
 * Nesting works: when an argument already carries a graph (it requires grad, e.g. it
 * is the variable of an outer grad), the inner transform records its backward pass,
 * so the outer transform can differentiate through it.
 */
import { fmtShape, shapesEqual } from '../kernels/shape.js';
import { onesLike, zerosLike } from './creation.js';
import { runBackward } from './engine.js';
import { enableGrad, isGradEnabled } from './grad-mode.js';
import { record } from './record.js';
import { Tensor } from './tensor.js';
import { add, mul } from './ops/binary.js';
import { sum } from './ops/reduce.js';

export interface TransformOptions {
  /** Record the gradient computation (defaults to: an argument is already part of a graph). */
  createGraph?: boolean;
}

/** A leaf to differentiate with respect to: a new identity node over x when x is in a graph, else a fresh leaf. */
function variable(x: Tensor): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError('grad: differentiated arguments must be Tensors');
  x.assertAlive('grad');
  if (x.requiresGrad && isGradEnabled())
    return record('identity', x.storage, x.shape, x.backend, [x], (g) => [g]);
  return new Tensor(x.storage, x.shape, x.backend).requireGrad(true);
}

function wantsGraph(args: readonly Tensor[], opts: TransformOptions): boolean {
  return opts.createGraph ?? (isGradEnabled() && args.some((a) => a.requiresGrad));
}

function scalarOut(op: string, y: unknown): Tensor {
  if (!(y instanceof Tensor)) throw new TypeError(`${op}: the function must return a Tensor`);
  if (y.size !== 1)
    throw new RangeError(`${op}: the function must return a scalar, got shape ${fmtShape(y.shape)}`);
  return y;
}

/** Gradients of ys (with cotangents gs) w.r.t. xs; zeros where xs do not influence ys. */
function gradients(ys: Tensor[], gs: Tensor[], xs: Tensor[], createGraph: boolean): Tensor[] {
  const m = runBackward(ys, gs, { createGraph, accumulate: false, targets: xs });
  return xs.map((x) => m.get(x) ?? zerosLike(x));
}

type Fn = (...args: Tensor[]) => Tensor;

/**
 * valueAndGrad(f, argnums)(...args) → [f(args), gradient(s)]. argnums is one index
 * (returns one gradient) or a list (returns a list). f must return a scalar.
 */
export function valueAndGrad(f: Fn, argnums: number | readonly number[] = 0, opts: TransformOptions = {}) {
  return (...args: Tensor[]): [Tensor, Tensor | Tensor[]] => {
    const nums = typeof argnums === 'number' ? [argnums] : argnums;
    for (const i of nums) {
      if (i < 0 || i >= args.length)
        throw new RangeError(`grad: argnum ${i} is out of range for ${args.length} arguments`);
    }
    const createGraph = wantsGraph(
      nums.map((i) => args[i]!),
      opts,
    );
    const vars = args.slice();
    for (const i of nums) vars[i] = variable(args[i]!);
    const y = scalarOut(
      'grad',
      enableGrad(() => f(...vars)),
    );
    const gs = gradients(
      [y],
      [onesLike(y)],
      nums.map((i) => vars[i]!),
      createGraph,
    );
    return [y, typeof argnums === 'number' ? gs[0]! : gs];
  };
}

/** grad(f, argnums)(...args) → the gradient(s) of the scalar f at args. */
export function grad(f: Fn, argnums: number | readonly number[] = 0, opts: TransformOptions = {}) {
  const vg = valueAndGrad(f, argnums, opts);
  return (...args: Tensor[]): Tensor | Tensor[] => vg(...args)[1];
}

/** vjp(f, ...primals) → [f(primals), (cotangent) => gradients w.r.t. each primal]. */
export function vjp(
  f: Fn,
  primals: readonly Tensor[],
  opts: TransformOptions = {},
): [Tensor, (cotangent: Tensor) => Tensor[]] {
  const createGraph = wantsGraph(primals, opts);
  const vars = primals.map(variable);
  const y = enableGrad(() => f(...vars));
  return [
    y,
    (u: Tensor) => {
      if (!shapesEqual(u.shape, y.shape))
        throw new RangeError(
          `vjp: cotangent shape ${fmtShape(u.shape)} differs from the output's ${fmtShape(y.shape)}`,
        );
      return gradients([y], [u], vars, createGraph || u.requiresGrad);
    },
  ];
}

/**
 * jvp(f, primals, tangents) → [f(primals), J·tangents], by the double-vjp identity:
 * u ↦ Jᵀu is linear in u, so J·v = ∂/∂u ⟨Jᵀu, v⟩. Costs two reverse passes.
 */
export function jvp(
  f: Fn,
  primals: readonly Tensor[],
  tangents: readonly Tensor[],
  opts: TransformOptions = {},
): [Tensor, Tensor] {
  if (primals.length !== tangents.length)
    throw new RangeError(`jvp: ${primals.length} primals but ${tangents.length} tangents`);
  primals.forEach((p, i) => {
    if (!shapesEqual(p.shape, tangents[i]!.shape)) {
      throw new RangeError(
        `jvp: tangent ${i} has shape ${fmtShape(tangents[i]!.shape)}, primal ${fmtShape(p.shape)}`,
      );
    }
  });
  const outer = wantsGraph([...primals, ...tangents], opts);
  const vars = primals.map(variable);
  const y = enableGrad(() => f(...vars));
  const u = zerosLike(y).requireGrad(true);
  const jtu = gradients([y], [u], vars, true);
  let s: Tensor | null = null;
  enableGrad(() =>
    jtu.forEach((g, i) => {
      const term = sum(mul(g, tangents[i]!));
      s = s ? add(s, term) : term;
    }),
  );
  const jv = s && (s as Tensor).requiresGrad ? gradients([s], [onesLike(s)], [u], outer)[0]! : zerosLike(y);
  return [y, jv];
}

/** hvp(f, primals, tangents) → H·v for scalar f, as the gradient of ⟨∇f, v⟩ (grad of grad). */
export function hvp(
  f: Fn,
  primals: readonly Tensor[],
  tangents: readonly Tensor[],
  opts: TransformOptions = {},
): Tensor[] {
  if (primals.length !== tangents.length)
    throw new RangeError(`hvp: ${primals.length} primals but ${tangents.length} tangents`);
  return hvpAt(f, primals, opts)(tangents);
}

/**
 * hvpAt(f, primals) → v ↦ H·v at fixed primals. The forward pass and the first (recorded)
 * backward pass run once; each product then costs one reverse pass through ∇f, instead of
 * the forward + two reverse passes of hvp(). For loops of many products at one point, such
 * as conjugate gradient on TRPO's Fisher matrix. The primals must not change between calls.
 */
export function hvpAt(
  f: Fn,
  primals: readonly Tensor[],
  opts: TransformOptions = {},
): (tangents: readonly Tensor[]) => Tensor[] {
  const vars = primals.map(variable);
  const y = scalarOut(
    'hvpAt',
    enableGrad(() => f(...vars)),
  );
  const g = gradients([y], [onesLike(y)], vars, true);
  return (tangents) => {
    if (tangents.length !== primals.length)
      throw new RangeError(`hvpAt: ${primals.length} primals but ${tangents.length} tangents`);
    tangents.forEach((t, i) => {
      if (!shapesEqual(t.shape, primals[i]!.shape))
        throw new RangeError(
          `hvpAt: tangent ${i} has shape ${fmtShape(t.shape)}, primal ${fmtShape(primals[i]!.shape)}`,
        );
    });
    let s: Tensor | null = null;
    enableGrad(() =>
      g.forEach((gi, i) => {
        const term = sum(mul(gi, tangents[i]!));
        s = s ? add(s, term) : term;
      }),
    );
    if (!s || !(s as Tensor).requiresGrad) return primals.map((p) => zerosLike(p));
    return gradients([s], [onesLike(s)], vars, wantsGraph([...primals, ...tangents], opts));
  };
}
