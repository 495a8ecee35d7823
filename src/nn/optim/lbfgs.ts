/**
 * L-BFGS (Nocedal 1980; Nocedal & Wright, Numerical Optimization, Alg. 7.4/7.5) on a flat
 * host vector: the two-loop recursion over the last `history` curvature pairs, and a
 * backtracking line search with the Armijo condition (the pair is kept only when sᵀy > 0,
 * so the implied Hessian stays positive definite). For small full-batch problems such as
 * garage's regressor fits (scipy's fmin_l_bfgs_b with maxiter 20 there); SciPy uses a
 * strong-Wolfe line search instead, so the iterates differ while the method is the same.
 */

/** f and ∇f at x (∇f may be a fresh array). */
export type Objective = (x: Float64Array) => Promise<{ value: number; grad: Float64Array }>;

export interface LbfgsOptions {
  /** iterations (each one line search), default 20 (garage's max_opt_itr) */
  maxIterations?: number;
  /** curvature pairs kept, default 10 (SciPy's m) */
  history?: number;
  /** stop once max |∇f| falls below this, default 1e-5 (SciPy's pgtol) */
  gradTol?: number;
  /** Armijo constant, default 1e-4 */
  c1?: number;
  /** line-search halvings before giving up, default 30 */
  maxBacktracks?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  evaluations: number;
}

const dotp = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};
const maxAbs = (a: Float64Array): number => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

export async function lbfgsMinimize(
  f: Objective,
  x0: Float64Array,
  opts: LbfgsOptions = {},
): Promise<LbfgsResult> {
  const maxIterations = opts.maxIterations ?? 20;
  const m = opts.history ?? 10;
  const gradTol = opts.gradTol ?? 1e-5;
  const c1 = opts.c1 ?? 1e-4;
  const maxBacktracks = opts.maxBacktracks ?? 30;
  if (!(Number.isInteger(maxIterations) && maxIterations >= 0))
    throw new RangeError(`lbfgs: maxIterations must be an integer ≥ 0, got ${maxIterations}`);
  if (!(Number.isInteger(m) && m >= 1))
    throw new RangeError(`lbfgs: history must be an integer ≥ 1, got ${m}`);
  let x: Float64Array = Float64Array.from(x0);
  let { value, grad } = await f(x);
  let evaluations = 1;
  if (!Number.isFinite(value)) throw new RangeError(`lbfgs: f(x0) is ${value}`);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  let k = 0;
  for (; k < maxIterations && maxAbs(grad) > gradTol; k++) {
    // two-loop recursion: d = −H g
    const q = Float64Array.from(grad);
    const alpha: number[] = [];
    for (let i = S.length - 1; i >= 0; i--) {
      const a = dotp(S[i]!, q) / dotp(Y[i]!, S[i]!);
      alpha[i] = a;
      for (let j = 0; j < q.length; j++) q[j]! -= a * Y[i]![j]!;
    }
    // H₀ = γI with γ = sᵀy / yᵀy (the last pair), or a first step of length ≤ 1
    const gamma = S.length
      ? dotp(S.at(-1)!, Y.at(-1)!) / dotp(Y.at(-1)!, Y.at(-1)!)
      : 1 / Math.max(1, Math.sqrt(dotp(grad, grad)));
    for (let j = 0; j < q.length; j++) q[j]! *= gamma;
    for (let i = 0; i < S.length; i++) {
      const b = dotp(Y[i]!, q) / dotp(Y[i]!, S[i]!);
      for (let j = 0; j < q.length; j++) q[j]! += S[i]![j]! * (alpha[i]! - b);
    }
    const d = q.map((v) => -v);
    let slope = dotp(grad, d);
    if (!(slope < 0)) {
      // not a descent direction (numerical trouble): restart from steepest descent
      S.length = 0;
      Y.length = 0;
      for (let j = 0; j < d.length; j++) d[j] = -grad[j]! / Math.max(1, Math.sqrt(dotp(grad, grad)));
      slope = dotp(grad, d);
    }
    let step = 1;
    let accepted: { x: Float64Array; value: number; grad: Float64Array } | null = null;
    for (let b = 0; b <= maxBacktracks; b++, step *= 0.5) {
      const xn = x.map((v, j) => v + step * d[j]!);
      const r = await f(xn);
      evaluations++;
      if (Number.isFinite(r.value) && r.value <= value + c1 * step * slope) {
        accepted = { x: xn, value: r.value, grad: r.grad };
        break;
      }
    }
    if (!accepted) break; // no decrease along d: x is as good as this method gets
    const s = accepted.x.map((v, j) => v - x[j]!);
    const y = accepted.grad.map((v, j) => v - grad[j]!);
    if (dotp(s, y) > 1e-12 * Math.sqrt(dotp(s, s) * dotp(y, y))) {
      S.push(s);
      Y.push(y);
      if (S.length > m) {
        S.shift();
        Y.shift();
      }
    }
    ({ x, value, grad } = accepted);
  }
  return { x, value, iterations: k, evaluations };
}
