/** In-place optimizer kernels. */
import type { AdamHyper } from '../backend.js';
import type { TypedArray } from '../dtype.js';

export function adamKernel(P: TypedArray, G: TypedArray, M: TypedArray, V: TypedArray, h: AdamHyper): void {
  const { lr, beta1, beta2, eps, weightDecay, step } = h;
  const c1 = 1 - Math.pow(beta1, step);
  const c2 = 1 - Math.pow(beta2, step);
  for (let i = 0, n = P.length; i < n; i++) {
    const g = G[i]!;
    const m = beta1 * M[i]! + (1 - beta1) * g;
    const v = beta2 * V[i]! + (1 - beta2) * g * g;
    M[i] = m;
    V[i] = v;
    // decoupled weight decay (AdamW); 0 gives plain Adam
    P[i] = P[i]! - lr * (m / c1 / (Math.sqrt(v / c2) + eps) + weightDecay * P[i]!);
  }
}

export function axpyKernel(P: TypedArray, X: TypedArray, alpha: number): void {
  for (let i = 0, n = P.length; i < n; i++) P[i] = P[i]! + alpha * X[i]!;
}
