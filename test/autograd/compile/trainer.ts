/** Shared by the compile tests: a small MLP regression step with backward() and Adam. */
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
