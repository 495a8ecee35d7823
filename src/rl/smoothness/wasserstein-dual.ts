/**
 * The distributionally robust form of SR²L's regularizer (paper §4): the max over
 * observation distributions within a Wasserstein ball of the true one. Its Lagrangian
 * dual (Gao & Kleywegt 2016), with the multiplier γ held fixed as Sinha et al. (2018) do,
 * is a per-state problem without a hard ball:
 *
 *     φ_γ(s) = max_δ  D(s, s + δ) − γ‖δ‖₂²
 *
 * solved here by gradient ascent with the loop PGD uses (pgd.ts), minus the projection.
 * The step is 1/(2γ): on a quadratic D = δᵀMδ + bᵀδ the update is then δ ← (Mδ + b/2)/γ,
 * which converges (at rate λmax(M)/γ) exactly when the problem is bounded (γ > λmax(M)).
 * On a non-concave D (a tanh network at small γ) that step can overshoot, so each state
 * keeps its best iterate.
 * δ starts uniform in [−ε, ε]: at δ = 0 the gradient of a divergence vanishes (its
 * minimum), so a start there would never move. As γ → ∞, δ → 0 and φ_γ → 0.
 */
import * as sr from '../../autograd/index.js';
import type { Generator, Tensor } from '../../autograd/index.js';
import { type Divergence, ascend, uniformStart } from './pgd.js';

export interface WassersteinDualOptions {
  /** the transport-cost weight γ > 0 */
  gamma: number;
  /** ascent steps (the same setting as PGD's, paper §5: 10) */
  steps: number;
  /** half-width of the random start box U[−startRadius, startRadius] */
  startRadius: number;
  /** draws the random start; for a population's [S, B, n] states, one generator per member */
  generator: Generator | readonly Generator[];
}

export interface WassersteinDualResult {
  /** the perturbation found, [B, n], detached */
  delta: Tensor;
  /** D(S, S + δ) at δ, [B], detached */
  divergence: Tensor;
  /** φ_γ = D − γ‖δ‖₂² at δ, [B], detached: the dual's per-state value */
  penalized: Tensor;
}

export function checkWassersteinDualOptions(o: WassersteinDualOptions): void {
  if (!(Number.isFinite(o.gamma) && o.gamma > 0))
    throw new RangeError(`wasserstein dual: gamma must be a finite number > 0, got ${o.gamma}`);
  if (!(Number.isInteger(o.steps) && o.steps >= 0))
    throw new RangeError(`wasserstein dual: steps must be an integer ≥ 0, got ${o.steps}`);
  if (!(Number.isFinite(o.startRadius) && o.startRadius >= 0))
    throw new RangeError(`wasserstein dual: startRadius must be a finite number ≥ 0, got ${o.startRadius}`);
}

/** D(S, S + δ) − γ‖δ‖₂² per row: the objective of the dual's inner problem. */
export function penalizedDivergence(divergence: Divergence, gamma: number): Divergence {
  return (s, p) => divergence(s, p).sub(p.sub(s).square().sum(-1).mul(gamma));
}

/** Gradient ascent on D(S, S + δ) − γ‖δ‖₂² for every row of S, no ball. */
export function wassersteinDualMaximize(
  states: Tensor,
  divergence: Divergence,
  opts: WassersteinDualOptions,
): WassersteinDualResult {
  checkWassersteinDualOptions(opts);
  const population = Array.isArray(opts.generator);
  if (states.ndim !== (population ? 3 : 2))
    throw new RangeError(
      `wasserstein dual: states must be [B, n] with one generator, or [S, B, n] with S generators; got [${states.shape.join(', ')}]`,
    );
  const s = states.detach();
  const r = opts.startRadius;
  const start = uniformStart(opts.generator, s, r);
  const objective = penalizedDivergence(divergence, opts.gamma);
  const step = 1 / (2 * opts.gamma);
  const delta = ascend(s, objective, start, opts.steps, (d, g) => d.add(g.mul(step)), true);
  const [value, penalized] = sr.noGrad(() => [divergence(s, s.add(delta)), objective(s, s.add(delta))]);
  return { delta, divergence: value!, penalized: penalized! };
}
