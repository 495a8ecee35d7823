/**
 * Conjugate gradient for A x = b with A symmetric positive definite, given only the
 * product v ↦ A v (TRPO: the damped Fisher-vector product). garage's version
 * (rl-anchors §2.1): start from x = 0, at most `iters` iterations (10), stop early when
 * the squared residual rᵀr drops below `residualTol` (1e-10).
 */
import { dot } from '../params.js';

export interface CgResult {
  x: Float64Array;
  /** ‖b − A x‖² tracked by the recursion at exit */
  residual: number;
  iterations: number;
}

export async function conjugateGradient(
  Avp: (v: Float64Array) => Promise<Float64Array> | Float64Array,
  b: Float64Array,
  iters = 10,
  residualTol = 1e-10,
): Promise<CgResult> {
  const x = new Float64Array(b.length);
  const r = Float64Array.from(b);
  const p = Float64Array.from(b);
  let rr = dot(r, r);
  let k = 0;
  for (; k < iters && rr >= residualTol; k++) {
    const Ap = await Avp(p);
    const pAp = dot(p, Ap);
    if (!(pAp > 0)) {
      throw new Error(
        `conjugateGradient: pᵀAp = ${pAp} at iteration ${k}; the matrix is not positive definite`,
      );
    }
    const alpha = rr / pAp;
    for (let i = 0; i < x.length; i++) {
      x[i] = x[i]! + alpha * p[i]!;
      r[i] = r[i]! - alpha * Ap[i]!;
    }
    const rrNew = dot(r, r);
    const beta = rrNew / rr;
    for (let i = 0; i < p.length; i++) p[i] = r[i]! + beta * p[i]!;
    rr = rrNew;
  }
  return { x, residual: rr, iterations: k };
}
