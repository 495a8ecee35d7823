/**
 * garage's LinearFeatureBaseline (rl-anchors §2.1): V(s, t) = wᵀφ with features
 * φ = [o, o², t, t², t³, 1], o = obs clipped to ±10 and t = step index / 100, fitted by
 * ridge least squares (reg 1e-5, raised ×10 up to 5 times while the solve fails).
 * Predicts 0 until the first fit. Plain float64 host math: it is a few hundred numbers.
 */
import * as sr from '../../../autograd/index.js';
import { loadSafetensors, SafetensorsError, saveSafetensors } from '../../../nn/node.js';
import type { Baseline } from './baseline.js';

export class LinearFeatureBaseline implements Baseline {
  readonly kind = 'linear' as const;
  readonly featureDim: number;
  private coeffs: Float64Array | null = null;

  constructor(
    readonly obsDim: number,
    readonly regCoeff = 1e-5,
  ) {
    this.featureDim = 2 * obsDim + 4;
  }

  private features(obs: Float64Array, t: ArrayLike<number>, row: number, out: Float64Array): void {
    const n = this.obsDim;
    for (let j = 0; j < n; j++) {
      const o = Math.min(10, Math.max(-10, obs[row * n + j]!));
      out[j] = o;
      out[n + j] = o * o;
    }
    const s = t[row]! / 100;
    out[2 * n] = s;
    out[2 * n + 1] = s * s;
    out[2 * n + 2] = s * s * s;
    out[2 * n + 3] = 1;
  }

  async predict(obs: Float64Array, t: ArrayLike<number>, rows: number): Promise<Float64Array> {
    const out = new Float64Array(rows);
    const w = this.coeffs;
    if (!w) return out;
    const phi = new Float64Array(this.featureDim);
    for (let i = 0; i < rows; i++) {
      this.features(obs, t, i, phi);
      let v = 0;
      for (let j = 0; j < phi.length; j++) v += w[j]! * phi[j]!;
      out[i] = v;
    }
    return out;
  }

  async fit(obs: Float64Array, t: ArrayLike<number>, targets: Float64Array, rows: number): Promise<void> {
    const d = this.featureDim;
    const xtx = new Float64Array(d * d);
    const xty = new Float64Array(d);
    const phi = new Float64Array(d);
    for (let i = 0; i < rows; i++) {
      this.features(obs, t, i, phi);
      for (let a = 0; a < d; a++) {
        const pa = phi[a]!;
        xty[a] = xty[a]! + pa * targets[i]!;
        for (let b = a; b < d; b++) xtx[a * d + b] = xtx[a * d + b]! + pa * phi[b]!;
      }
    }
    for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) xtx[a * d + b] = xtx[b * d + a]!;
    let reg = this.regCoeff;
    for (let attempt = 0; attempt < 5; attempt++, reg *= 10) {
      const w = solveSpd(xtx, xty, d, reg);
      if (w) {
        this.coeffs = w;
        return;
      }
    }
    // garage keeps the old coefficients when every regularized solve fails
  }

  async save(prefix: string): Promise<void> {
    const coeffs = this.coeffs ?? new Float64Array(0);
    await saveSafetensors(
      `${prefix}.safetensors`,
      { coeffs: sr.tensor(coeffs, { dtype: 'float64' }) },
      {
        kind: this.kind,
      },
    );
  }

  async load(prefix: string): Promise<void> {
    const path = `${prefix}.safetensors`;
    const { tensors } = await loadSafetensors(path);
    const c = tensors.get('coeffs');
    if (!c) throw new SafetensorsError(path, "no 'coeffs' tensor: not a linear baseline checkpoint");
    if (c.size !== 0 && c.size !== this.featureDim) {
      throw new SafetensorsError(
        path,
        `${c.size} coefficients, expected ${this.featureDim} (0 before the first fit)`,
      );
    }
    this.coeffs = c.size === 0 ? null : Float64Array.from(c.dataSync());
  }
}

/** Solves (A + reg·I) x = b by Cholesky; null when it is not positive definite or not finite. */
function solveSpd(a: Float64Array, b: Float64Array, d: number, reg: number): Float64Array | null {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j]! + (i === j ? reg : 0);
      for (let k = 0; k < j; k++) s -= l[i * d + k]! * l[j * d + k]!;
      if (i === j) {
        if (!(s > 0)) return null;
        l[i * d + i] = Math.sqrt(s);
      } else l[i * d + j] = s / l[j * d + j]!;
    }
  }
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * d + k]! * y[k]!;
    y[i] = s / l[i * d + i]!;
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < d; k++) s -= l[k * d + i]! * x[k]!;
    x[i] = s / l[i * d + i]!;
  }
  return x.every(Number.isFinite) ? x : null;
}
