/**
 * Finite-difference checks of the engine's gradients, in float64. The output is reduced
 * to a scalar ⟨f(x), u⟩ with a fixed random cotangent u, so one analytic vjp is compared
 * with central differences of that scalar for every input element.
 */
import { fmtShape } from '../kernels/shape.js';
import { Rng } from '../util/rng.js';
import { tensor } from './creation.js';
import { vjp } from './functional.js';
import { noGrad } from './grad-mode.js';
import { Tensor } from './tensor.js';
import { mul } from './ops/binary.js';
import { sum } from './ops/reduce.js';
import { concat, reshape } from './ops/movement.js';

export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Throw on failure (default) or return the report. */
  raise?: boolean;
  seed?: number;
}

export interface GradcheckReport {
  ok: boolean;
  /** The element with the largest error relative to the tolerance. */
  worst: { input: number; index: number; analytic: number; numeric: number; error: number } | null;
  checked: number;
}

type Fn = (...xs: Tensor[]) => Tensor;

function cotangentFor(y: Tensor, rng: Rng): Tensor {
  const u = new Float64Array(y.size);
  rng.fillNormal(u);
  return tensor(u, { shape: y.shape.slice(), dtype: 'float64', backend: y.backend });
}

export function gradcheck(fn: Fn, inputs: readonly Tensor[], opts: GradcheckOptions = {}): GradcheckReport {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, raise = true, seed = 0 } = opts;
  inputs.forEach((x, i) => {
    if (!(x instanceof Tensor)) throw new TypeError(`gradcheck: input ${i} is not a Tensor`);
    if (x.dtype !== 'float64')
      throw new TypeError(`gradcheck: input ${i} is ${x.dtype}; finite differences need float64`);
    if (!x.backend.synchronous) throw new TypeError('gradcheck: runs on a synchronous (CPU) backend');
  });
  const rng = new Rng(seed);
  const xs = inputs.map(
    (x) => new Tensor(x.backend.upload(x.backend.readSync(x.storage)), x.shape, x.backend),
  );
  const [y, back] = vjp(fn, xs, { createGraph: false });
  if (y.dtype !== 'float64')
    throw new TypeError(`gradcheck: the function returned ${y.dtype}; it must stay float64`);
  const u = cotangentFor(y, rng);
  const analytic = back(u).map((g) => g.dataSync());
  const scalarAt = (): number => noGrad(() => sum(mul(fn(...xs), u)).item());
  let worst: GradcheckReport['worst'] = null;
  let worstRatio = -1;
  let checked = 0;
  xs.forEach((x, i) => {
    const data = x.backend.readSync(x.storage);
    for (let k = 0; k < data.length; k++) {
      const orig = data[k]!;
      data[k] = orig + eps;
      const fp = scalarAt();
      data[k] = orig - eps;
      const fm = scalarAt();
      data[k] = orig;
      const numeric = (fp - fm) / (2 * eps);
      const a = analytic[i]![k]!;
      const error = Math.abs(a - numeric);
      const ratio = error / (atol + rtol * Math.abs(numeric));
      checked++;
      if (ratio > worstRatio || Number.isNaN(ratio)) {
        worstRatio = Number.isNaN(ratio) ? Infinity : ratio;
        worst = { input: i, index: k, analytic: a, numeric, error };
      }
    }
  });
  const ok = worstRatio <= 1;
  if (!ok && raise) {
    const w = worst!;
    throw new Error(
      `gradcheck failed: input ${w.input} (shape ${fmtShape(inputs[w.input]!.shape)}) element ${w.index}: analytic ${w.analytic}, numeric ${w.numeric}, |diff| ${w.error.toExponential(3)} (atol ${atol}, rtol ${rtol})`,
    );
  }
  return { ok, worst, checked };
}

/**
 * Checks second derivatives: the map (x, u) ↦ Jᵀu (a vjp recorded with createGraph)
 * must itself pass gradcheck, with respect to both x and the cotangent u.
 */
export function gradgradcheck(
  fn: Fn,
  inputs: readonly Tensor[],
  opts: GradcheckOptions = {},
): GradcheckReport {
  const y0 = noGrad(() => fn(...inputs));
  const u0 = cotangentFor(y0, new Rng((opts.seed ?? 0) + 1));
  const n = inputs.length;
  const vjpOf = (...args: Tensor[]): Tensor => {
    const [, back] = vjp(fn, args.slice(0, n), { createGraph: true });
    const gs = back(args[n]!);
    // one output holding every input's gradient, flattened
    return gs.length === 1 ? gs[0]! : concat(gs.map((g) => reshape(g, [g.size])));
  };
  return gradcheck(vjpOf, [...inputs, u0], opts);
}
