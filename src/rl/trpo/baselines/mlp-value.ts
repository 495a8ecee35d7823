/**
 * MLP state-value baseline, the alternative to the linear one: garage's torch
 * GaussianMLPValueFunction as used by its TRPO (rl-anchors §2.2): tanh hidden layers,
 * Adam lr 2.5e-4, 10 epochs of minibatches of 64 per iteration, mean squared error.
 * Hidden sizes follow the paper (64, 64). Inputs are the (possibly normalized)
 * observations; the time index is not used.
 */
import * as sr from '../../../autograd/index.js';
import type { Tensor } from '../../../autograd/index.js';
import type { Backend } from '../../../kernels/backend.js';
import type { FloatDType } from '../../../kernels/dtype.js';
import { Adam, MLP, loadModule, loadOptimizer, saveModule, saveOptimizer } from '../../../nn/node.js';
import { Rng } from '../../../util/rng.js';
import type { Baseline } from './baseline.js';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../../util/atomic-write.js';

export interface MlpValueOptions {
  hidden?: readonly number[];
  lr?: number;
  epochs?: number;
  minibatch?: number;
  dtype?: FloatDType;
  backend?: Backend;
  seed?: number;
}

export class MlpValueBaseline implements Baseline {
  readonly kind = 'mlp' as const;
  readonly net: MLP;
  readonly optimizer: Adam;
  readonly epochs: number;
  readonly minibatch: number;
  private readonly shuffle: Rng;
  private readonly dtype: FloatDType;

  constructor(
    readonly obsDim: number,
    opts: MlpValueOptions = {},
  ) {
    const root = new Rng(opts.seed ?? 0);
    this.dtype = opts.dtype ?? 'float32';
    this.net = new MLP([obsDim, ...(opts.hidden ?? [64, 64]), 1], {
      hidden: 'tanh',
      output: 'none',
      rng: root.fork('init'),
      dtype: this.dtype,
      ...(opts.backend ? { backend: opts.backend } : {}),
    });
    this.optimizer = new Adam(this.net, { lr: opts.lr ?? 2.5e-4 });
    this.epochs = opts.epochs ?? 10;
    this.minibatch = opts.minibatch ?? 64;
    this.shuffle = root.fork('minibatches');
  }

  private input(obs: Float64Array, rows: number): Tensor {
    return sr.tensor(obs.subarray(0, rows * this.obsDim), {
      shape: [rows, this.obsDim],
      dtype: this.dtype,
      backend: this.net.parameters()[0]!.backend,
    });
  }

  async predict(obs: Float64Array, _t: ArrayLike<number>, rows: number): Promise<Float64Array> {
    const v = sr.noGrad(() => this.net.forward(this.input(obs, rows)));
    return Float64Array.from(await v.data());
  }

  async fit(obs: Float64Array, _t: ArrayLike<number>, targets: Float64Array, rows: number): Promise<void> {
    const order = Array.from({ length: rows }, (_, i) => i);
    const x = this.input(obs, rows);
    const y = sr.tensor(targets, { shape: [rows, 1], dtype: this.dtype, backend: x.backend });
    for (let e = 0; e < this.epochs; e++) {
      for (let i = rows - 1; i > 0; i--) {
        const j = this.shuffle.int(i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (let start = 0; start < rows; start += this.minibatch) {
        const idx = order.slice(start, start + this.minibatch);
        this.optimizer.zeroGrad();
        const loss = this.net.forward(x.gather(idx)).sub(y.gather(idx)).square().mean();
        loss.backward();
        this.optimizer.step();
      }
    }
  }

  async save(prefix: string): Promise<void> {
    await saveModule(`${prefix}.safetensors`, this.net, { kind: this.kind });
    await saveOptimizer(`${prefix}-adam.safetensors`, this.optimizer);
    const state = new TextEncoder().encode(JSON.stringify(this.shuffle.getState()));
    await writeFileAtomic(`${prefix}-rng.json`, state);
  }

  async load(prefix: string): Promise<void> {
    await loadModule(`${prefix}.safetensors`, this.net);
    await loadOptimizer(`${prefix}-adam.safetensors`, this.optimizer);
    this.shuffle.setState(JSON.parse(await readFile(`${prefix}-rng.json`, 'utf8')));
  }
}
