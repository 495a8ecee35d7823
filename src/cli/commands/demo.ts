/**
 * `sr2l demo`: the smallest end-to-end use of the engine. An MLP fits y = sin(2x) on
 * [-2, 2] with Adam on the CPU backend, printing the mean squared error as it falls.
 */
import { parseArgs } from 'node:util';
import { arange, noGrad, tensor } from '../../autograd/index.js';
import { Adam, MLP } from '../../nn/index.js';
import { UsageError, type Command } from '../command.js';

function positiveInt(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`--${name} must be a positive integer, got '${v}'`);
  return n;
}

export const demo: Command = {
  summary: 'fit sin(2x) with an MLP and Adam, printing the loss as it falls',
  usage: 'sr2l demo [--steps 400] [--seed 0] [--lr 0.01] [--every 50]',
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        steps: { type: 'string', default: '400' },
        seed: { type: 'string', default: '0' },
        lr: { type: 'string', default: '0.01' },
        every: { type: 'string', default: '50' },
      },
    });
    const steps = positiveInt('steps', values.steps);
    const every = positiveInt('every', values.every);
    const seed = Number(values.seed);
    if (!Number.isInteger(seed) || seed < 0)
      throw new UsageError(`--seed must be a non-negative integer, got '${values.seed}'`);
    const lr = Number(values.lr);
    if (!(lr > 0)) throw new UsageError(`--lr must be a positive number, got '${values.lr}'`);

    const x = arange(-2, 2, 4 / 128).reshape([-1, 1]);
    // targets computed on the host: the op set has no sin (policies never need one)
    const y = tensor(
      Float32Array.from(x.dataSync(), (v) => Math.sin(2 * v)),
      { shape: x.shape.slice() },
    );
    const net = new MLP([1, 32, 32, 1], { hidden: 'tanh', rng: seed });
    const opt = new Adam(net, { lr });
    console.log(
      `demo: MLP [1, 32, 32, 1] (tanh), ${net.numParameters()} parameters, Adam lr ${lr}, ${x.shape[0]} points`,
    );
    const t0 = performance.now();
    for (let step = 1; step <= steps; step++) {
      opt.zeroGrad();
      const l = net.forward(x).sub(y).square().mean();
      l.backward();
      opt.step();
      if (step === 1 || step % every === 0 || step === steps) {
        console.log(`step ${String(step).padStart(5)}  mse ${l.item().toExponential(3)}`);
      }
    }
    const ms = performance.now() - t0;
    const final = noGrad(() => net.forward(x).sub(y).square().mean().item());
    console.log(
      `done: final mse ${final.toExponential(3)} after ${steps} steps in ${(ms / 1000).toFixed(2)} s`,
    );
    return 0;
  },
};
