/**
 * Adam (Kingma & Ba 2015) with bias correction; with weightDecay > 0 it is AdamW
 * (Loshchilov & Hutter 2019: decay decoupled from the gradient, p ← p − lr·wd·p).
 * Each parameter's update is one in-place `adamUpdate` kernel call.
 */
import type { Tensor } from '../../autograd/tensor.js';
import type { AdamHyper } from '../../kernels/backend.js';
import { checkNumber } from '../checks.js';
import { Optimizer } from './optimizer.js';
import type { ParamsLike } from './params.js';

export interface AdamOptions {
  /** learning rate (default 1e-3) */
  lr?: number;
  /** [beta1, beta2] (default [0.9, 0.999]) */
  betas?: readonly [number, number];
  /** added to √v̂ (default 1e-8) */
  eps?: number;
  /** decoupled weight decay (default 0: plain Adam) */
  weightDecay?: number;
  /** clip the global gradient norm to this before each step (default: no clipping) */
  maxGradNorm?: number;
}

export class Adam extends Optimizer {
  readonly kind = 'adam';
  protected readonly slots = ['m', 'v'] as const;
  lr = 1e-3;
  beta1 = 0.9;
  beta2 = 0.999;
  eps = 1e-8;
  weightDecay = 0;

  constructor(params: ParamsLike, opts: AdamOptions = {}) {
    super(params, opts.maxGradNorm, 'Adam');
    const [beta1, beta2] = opts.betas ?? [this.beta1, this.beta2];
    this.setHyper(
      {
        lr: opts.lr ?? this.lr,
        beta1,
        beta2,
        eps: opts.eps ?? this.eps,
        weightDecay: opts.weightDecay ?? this.weightDecay,
      },
      'Adam',
    );
  }

  protected hyper(): Record<string, number> {
    return {
      lr: this.lr,
      beta1: this.beta1,
      beta2: this.beta2,
      eps: this.eps,
      weightDecay: this.weightDecay,
    };
  }

  protected setHyper(h: Record<string, number>, who: string): void {
    const beta = { min: 0, max: 1, maxExclusive: true };
    // check every field before setting any, so a bad state leaves the optimizer as it was
    const checked = {
      lr: checkNumber(who, 'lr', h.lr, { min: 0 }),
      beta1: checkNumber(who, 'beta1', h.beta1, beta),
      beta2: checkNumber(who, 'beta2', h.beta2, beta),
      eps: checkNumber(who, 'eps', h.eps, { min: 0 }),
      weightDecay: checkNumber(who, 'weightDecay', h.weightDecay, { min: 0 }),
    };
    Object.assign(this, checked);
  }

  // one object refreshed per step: a compiled step's recorded kernel calls hold it, so
  // replays see the current step count (and learning rate) rather than the traced ones
  private readonly kernelHyper: AdamHyper = {
    lr: 0,
    beta1: 0,
    beta2: 0,
    eps: 0,
    weightDecay: 0,
    step: 0,
  };

  protected override beforeUpdates(): void {
    const h = this.kernelHyper;
    h.lr = this.lr;
    h.beta1 = this.beta1;
    h.beta2 = this.beta2;
    h.eps = this.eps;
    h.weightDecay = this.weightDecay;
    h.step = this.stepCount;
  }

  protected update(p: Tensor, g: Tensor, s: Record<string, Tensor>): void {
    p.backend.adamUpdate(p.storage, g.storage, s.m!.storage, s.v!.storage, this.kernelHyper);
  }
}
