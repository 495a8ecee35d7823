/**
 * Shared by the compile tests: a small MLP regression step with backward() and Adam, and
 * a Hessian-vector product of a small network's mean squared output.
 */
import * as sr from '../../../src/index.js';
import type { Backend, Tensor } from '../../../src/index.js';
import { Adam, MLP } from '../../../src/nn/index.js';

export function mlpTrainer(seed: number, backend?: Backend) {
  const net = new MLP([5, 32, 32, 3], { hidden: 'tanh', rng: seed, ...(backend ? { backend } : {}) });
  const opt = new Adam(net.namedParameters(), { lr: 1e-2 });
  const step = (x: Tensor, y: Tensor): Tensor => {
    opt.zeroGrad();
    const loss = net.forward(x).sub(y).square().mean();
    loss.backward();
    opt.step();
    return loss.detach();
  };
  return { net, opt, step };
}

/**
 * (x, tangents) ↦ H·tangents of mean(‖W₂ tanh(x W₁ + b₁) + b₂‖²) over the states x, w.r.t.
 * a [5, 16, 3] network's parameters [W₁, b₁, W₂, b₂].
 */
export function meanSquareHvp(opts: { dtype?: 'float32' | 'float64'; backend?: Backend } = {}) {
  const net = new MLP([5, 16, 3], { hidden: 'tanh', rng: 4, ...opts });
  const params = net.parameters();
  const hv = (x: Tensor, tangents: Tensor[]): Tensor[] =>
    sr.hvpAt(
      (...ps: Tensor[]) =>
        sr
          .linear(sr.linear(x, ps[0]!, ps[1]!, 'tanh'), ps[2]!, ps[3]!, 'none')
          .square()
          .mean(),
      params,
    )(tangents);
  return { params, hv };
}
