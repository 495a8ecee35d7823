/**
 * The workload the WebGPU backend is judged on, defined once for the benchmark and the
 * whole-model parity test: the SR²L policy MLP (17 → 64 → 64 → 6, tanh, fused sr.linear
 * layers), its MSE loss and parameter gradients, and the smoothness regularizer's inner
 * maximization: PGD on the input, sign-gradient ascent on ‖f(x+δ) − f(x)‖² projected to
 * the ℓ∞ ball of radius eps. Everything stays on the tensors' backend; nothing is read back.
 */
import * as sr from '../../src/index.js';
import type { Backend } from '../../src/index.js';

export const MLP_SIZES = [17, 64, 64, 6] as const;

/** [W1, b1, W2, b2, W3, b3], drawn on the host from `seed` so every backend gets the same numbers. */
export function mlpParams(backend: Backend, seed = 0): sr.Tensor[] {
  const g = sr.rng(seed);
  const params: sr.Tensor[] = [];
  for (let l = 0; l + 1 < MLP_SIZES.length; l++) {
    const [i, o] = [MLP_SIZES[l]!, MLP_SIZES[l + 1]!];
    params.push(g.randn([i, o], { backend, std: 1 / Math.sqrt(i), requiresGrad: true, name: `W${l + 1}` }));
    params.push(g.randn([o], { backend, std: 0.1, requiresGrad: true, name: `b${l + 1}` }));
  }
  return params;
}

export function mlpForward(params: readonly sr.Tensor[], x: sr.Tensor): sr.Tensor {
  const [W1, b1, W2, b2, W3, b3] = params as [
    sr.Tensor,
    sr.Tensor,
    sr.Tensor,
    sr.Tensor,
    sr.Tensor,
    sr.Tensor,
  ];
  const h1 = sr.linear(x, W1, b1, 'tanh');
  const h2 = sr.linear(h1, W2, b2, 'tanh');
  return sr.linear(h2, W3, b3);
}

export function mlpLoss(params: readonly sr.Tensor[], x: sr.Tensor, y: sr.Tensor): sr.Tensor {
  return sr.mean(sr.square(sr.sub(mlpForward(params, x), y)));
}

/** One forward + backward: the loss and every parameter's gradient. */
export function mlpStep(params: readonly sr.Tensor[], x: sr.Tensor, y: sr.Tensor): [sr.Tensor, sr.Tensor[]] {
  const [loss, grads] = sr.valueAndGrad(
    (...p: sr.Tensor[]) => mlpLoss(p, x, y),
    params.map((_, i) => i),
  )(...params);
  return [loss, grads as sr.Tensor[]];
}

export interface PgdOptions {
  eps: number;
  alpha: number;
  steps: number;
}

/**
 * PGD on the input: δ starts at `delta0` (inside the ball; at δ = 0 the objective's gradient
 * is exactly zero) and takes `steps` sign-gradient ascent steps, each projected back to
 * [−eps, eps]. Returns the final δ.
 */
export function pgd(params: readonly sr.Tensor[], x: sr.Tensor, delta0: sr.Tensor, o: PgdOptions): sr.Tensor {
  // the attack treats the network as fixed: detached parameters keep their weight
  // gradients (three matmuls and three sums per step) out of the backward pass
  const fixed = params.map((p) => sr.detach(p));
  const fx = sr.noGrad(() => mlpForward(fixed, x));
  const objective = (d: sr.Tensor): sr.Tensor =>
    sr.sum(sr.square(sr.sub(mlpForward(fixed, sr.add(x, d)), fx)));
  const gradOf = sr.grad(objective);
  let delta = delta0;
  for (let s = 0; s < o.steps; s++) {
    const g = gradOf(delta) as sr.Tensor;
    delta = sr.noGrad(() => sr.clamp(sr.add(delta, sr.mul(sr.sign(g), o.alpha)), -o.eps, o.eps));
  }
  return delta;
}
