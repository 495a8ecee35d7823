/**
 * Conjugate gradient for A x = b with A symmetric positive definite, given only the
 * product v ↦ A v (TRPO: the damped Fisher-vector product). garage's version
 * (rl-anchors §2.1): start from x = 0, at most `iters` iterations (10), stop early when
 * the squared residual rᵀr drops below `residualTol` (1e-10).
 *
 * A population solves S independent systems at once (TRPO's Fisher matrix of S stacked
 * policies is block diagonal): one batched product per iteration serves every member, and
 * each member has its own α, β, residual and stopping point, so member k's result is
 * exactly what the single-system solver gives for its system. The single solver is the
 * population of one.
 */
import { dot } from '../params.js';

export interface CgResult {
  x: Float64Array;
  /** ‖b − A x‖² tracked by the recursion at exit */
  residual: number;
  iterations: number;
}

/**
 * The products A_k p_k for every member k still iterating (`active[k]`); the others' entries
 * may be anything (their results are not read).
 */
export type BatchedProduct = (
  ps: readonly Float64Array[],
  active: readonly boolean[],
) => Promise<readonly Float64Array[]> | readonly Float64Array[];

export async function conjugateGradient(
  Avp: (v: Float64Array) => Promise<Float64Array> | Float64Array,
  b: Float64Array,
  iters = 10,
  residualTol = 1e-10,
): Promise<CgResult> {
  const [r] = await conjugateGradientPopulation(async (ps) => [await Avp(ps[0]!)], [b], iters, residualTol);
  return r!;
}

/** Member k solves A_k x_k = bs[k]; see the module comment. */
export async function conjugateGradientPopulation(
  Avp: BatchedProduct,
  bs: readonly Float64Array[],
  iters = 10,
  residualTol = 1e-10,
): Promise<CgResult[]> {
  const xs = bs.map((b) => new Float64Array(b.length));
  const rs = bs.map((b) => Float64Array.from(b));
  const ps = bs.map((b) => Float64Array.from(b));
  const rr = rs.map((r) => dot(r, r));
  const its = bs.map(() => 0);
  const active = (k: number): boolean => its[k]! < iters && rr[k]! >= residualTol;
  for (let step = 0; step < iters; step++) {
    const running = bs.map((_, k) => active(k));
    if (!running.includes(true)) break;
    const Aps = await Avp(ps, running);
    for (let k = 0; k < bs.length; k++) {
      if (!running[k]) continue;
      const [x, r, p, Ap] = [xs[k]!, rs[k]!, ps[k]!, Aps[k]!];
      const pAp = dot(p, Ap);
      if (!(pAp > 0)) {
        const who = bs.length > 1 ? ` (member ${k})` : '';
        throw new Error(
          `conjugateGradient: pᵀAp = ${pAp} at iteration ${its[k]}${who}; the matrix is not positive definite`,
        );
      }
      const alpha = rr[k]! / pAp;
      for (let i = 0; i < x.length; i++) {
        x[i] = x[i]! + alpha * p[i]!;
        r[i] = r[i]! - alpha * Ap[i]!;
      }
      const rrNew = dot(r, r);
      const beta = rrNew / rr[k]!;
      for (let i = 0; i < p.length; i++) p[i] = r[i]! + beta * p[i]!;
      rr[k] = rrNew;
      its[k]!++;
    }
  }
  return xs.map((x, k) => ({ x, residual: rr[k]!, iterations: its[k]! }));
}
