/**
 * One entry point for the trainers: the perturbation of a batch of states under the
 * configured form of the regularizer — the ε ball (paper eq. 4, PGD) or the Wasserstein
 * dual (§4, penalized ascent) — with ε in raw units or in units of each dimension's std
 * over the batch.
 */
import * as sr from '../../autograd/index.js';
import type { Generator, Tensor } from '../../autograd/index.js';
import { type AscentRule, type Divergence, pgdMaximize } from './pgd.js';
import { type EpsScale, columnStd, inScaledBall } from './scaled-ball.js';
import { wassersteinDualMaximize } from './wasserstein-dual.js';

export const REGULARIZER_FORMS = ['ball', 'wasserstein'] as const;
export type RegularizerForm = (typeof REGULARIZER_FORMS)[number];

export interface InnerMaxSettings {
  /** default 'ball' */
  form?: RegularizerForm;
  /** ball radius (ball form) or the random start's half-width (wasserstein form) */
  eps: number;
  steps: number;
  /** PGD step size (ball form; the wasserstein form steps 1/(2γ)) */
  stepSize: number;
  ascent: AscentRule;
  /** γ of the wasserstein form */
  gamma?: number;
  /** default 'raw' */
  epsScale?: EpsScale;
  /** draws the random start; for a population's [S, B, n] states, one generator per member */
  generator: Generator | readonly Generator[];
}

export interface InnerMaxResult {
  /** what the observations move by, raw units [B, n], detached */
  delta: Tensor;
  /** D(S, S + δ) [B], detached */
  divergence: Tensor;
  /** the inner problem's value [B]: D (ball) or D − γ‖u‖₂² (wasserstein), detached */
  value: Tensor;
}

export function findPerturbation(
  states: Tensor,
  divergence: Divergence,
  o: InnerMaxSettings,
): InnerMaxResult {
  const scale = o.epsScale === 'obs-std' ? columnStd(states) : null;
  const objective = inScaledBall(divergence, scale);
  let unit: Tensor;
  let atDelta: Tensor;
  let value: Tensor;
  if (o.form === 'wasserstein') {
    const r = wassersteinDualMaximize(states, objective, {
      gamma: o.gamma ?? NaN,
      steps: o.steps,
      startRadius: o.eps,
      generator: o.generator,
    });
    unit = r.delta;
    atDelta = r.divergence;
    value = r.penalized;
  } else {
    const r = pgdMaximize(states, objective, {
      eps: o.eps,
      steps: o.steps,
      stepSize: o.stepSize,
      ascent: o.ascent,
      generator: o.generator,
    });
    unit = r.delta;
    atDelta = value = r.divergence;
  }
  const delta = scale ? sr.noGrad(() => unit.mul(scale)) : unit;
  return { delta, divergence: atDelta, value };
}

/** The settings TRPO-SR's and DDPG-SR's configs share under the same names. */
export interface SmoothnessSettings {
  eps: number;
  pgdSteps: number;
  pgdStepScale: number;
  pgdAscent: AscentRule;
  epsScale: EpsScale;
  regularizerForm: RegularizerForm;
  wassersteinGamma: number;
}

/** A config's smoothness settings in the form findPerturbation takes. */
export function innerMaxSettings(
  c: SmoothnessSettings,
  generator: Generator | readonly Generator[],
): InnerMaxSettings {
  return {
    form: c.regularizerForm,
    eps: c.eps,
    steps: c.pgdSteps,
    stepSize: c.pgdStepScale * c.eps,
    ascent: c.pgdAscent,
    gamma: c.wassersteinGamma,
    epsScale: c.epsScale,
    generator,
  };
}
