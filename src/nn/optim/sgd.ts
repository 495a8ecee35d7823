/**
 * SGD, optionally with momentum (PyTorch's form: b ← μ·b + g, p ← p − lr·b; with b = 0
 * at the start the first step is p − lr·g). The parameter update is one in-place `axpy`.
 */
import { add, mul } from '../../autograd/ops/binary.js';
import type { Tensor } from '../../autograd/tensor.js';
import { checkNumber } from '../checks.js';
import { Optimizer } from './optimizer.js';
import type { ParamsLike } from './params.js';

export interface SGDOptions {
  /** learning rate (default 1e-3) */
  lr?: number;
  /** momentum μ in [0, 1) (default 0: plain SGD, no state) */
  momentum?: number;
  /** clip the global gradient norm to this before each step (default: no clipping) */
  maxGradNorm?: number;
}

export class SGD extends Optimizer {
  readonly kind = 'sgd';
  protected readonly slots: readonly string[];
  lr = 1e-3;
  momentum = 0;

  constructor(params: ParamsLike, opts: SGDOptions = {}) {
    super(params, opts.maxGradNorm, 'SGD');
    const momentum = opts.momentum ?? this.momentum;
    // the momentum buffer exists only with momentum, so plain SGD keeps no state
    this.slots = typeof momentum === 'number' && momentum > 0 ? ['momentum'] : [];
    this.setHyper({ lr: opts.lr ?? this.lr, momentum }, 'SGD');
  }

  protected hyper(): Record<string, number> {
    return { lr: this.lr, momentum: this.momentum };
  }

  protected setHyper(h: Record<string, number>, who: string): void {
    const lr = checkNumber(who, 'lr', h.lr, { min: 0 });
    const momentum = checkNumber(who, 'momentum', h.momentum, { min: 0, max: 1, maxExclusive: true });
    if (momentum > 0 !== this.slots.length > 0) {
      throw new RangeError(
        `${who}: momentum ${momentum} does not match this optimizer, built with momentum ${this.momentum} (a momentum buffer exists only when momentum > 0)`,
      );
    }
    this.lr = lr;
    this.momentum = momentum;
  }

  protected update(p: Tensor, g: Tensor, s: Record<string, Tensor>): void {
    const buf = s.momentum;
    if (!buf) {
      p.backend.axpy(p.storage, g.storage, -this.lr);
      return;
    }
    const next = add(mul(buf, this.momentum), g);
    p.backend.assign(buf.storage, next.storage);
    next.dispose();
    p.backend.axpy(p.storage, buf.storage, -this.lr);
  }
}
