/**
 * The inner maximization of SR²L (paper §3.3, Algorithm 1's inner loop), shared by
 * TRPO-SR and DDPG-SR: for every state of a batch at once, find δ in the ℓ∞ ball of
 * radius ε that maximizes a divergence D(s, s + δ), by projected gradient ascent from a
 * random start in the ball.
 *
 * Ascent rule: 'sign' (default) steps δ += α·sign(∇δ D), the steepest-ascent direction
 * for the ℓ∞ ball (as in FGSM/PGD attacks), so every step has the same size whatever the
 * gradient's scale. 'gradient' steps δ += α·∇δ D exactly as Algorithm 1 writes it; its
 * effective step depends on the scale of D. Either way δ is clipped back into the ball.
 */
import * as sr from '../../autograd/index.js';
import type { Generator, Tensor } from '../../autograd/index.js';

/** D(S, S + δ) per state: states and perturbed states [B, n] → [B] (a population's [S, B, n] → [S, B]). Built from tensor ops. */
export type Divergence = (states: Tensor, perturbed: Tensor) => Tensor;

export type AscentRule = 'sign' | 'gradient';
export const ASCENT_RULES: readonly AscentRule[] = ['sign', 'gradient'];

export interface PgdOptions {
  /** radius of the ℓ∞ ball */
  eps: number;
  /** ascent steps (paper §5: 10) */
  steps?: number;
  /** step size α (paper §5: 0.2ε); default 0.2·eps */
  stepSize?: number;
  /** 'sign' (default) or 'gradient' (Algorithm 1 as written) */
  ascent?: AscentRule;
  /**
   * draws the random start δ₀ ~ U[−ε, ε]; for a population's states [S, B, n], one
   * generator per member, so member k's start is the one its single run draws
   */
  generator: Generator | readonly Generator[];
}

export interface PgdResult {
  /** the perturbation found, [B, n], detached, every entry in [−ε, ε] */
  delta: Tensor;
  /** D(S, S + δ) at the returned δ, [B], detached */
  divergence: Tensor;
}

export function checkPgdOptions(opts: PgdOptions): Required<Omit<PgdOptions, 'generator'>> {
  const steps = opts.steps ?? 10;
  const stepSize = opts.stepSize ?? 0.2 * opts.eps;
  const ascent = opts.ascent ?? 'sign';
  if (!(Number.isFinite(opts.eps) && opts.eps >= 0))
    throw new RangeError(`pgd: eps must be a finite number ≥ 0, got ${opts.eps}`);
  if (!(Number.isInteger(steps) && steps >= 0))
    throw new RangeError(`pgd: steps must be an integer ≥ 0, got ${steps}`);
  if (!(Number.isFinite(stepSize) && stepSize >= 0))
    throw new RangeError(`pgd: stepSize must be a finite number ≥ 0, got ${stepSize}`);
  if (!ASCENT_RULES.includes(ascent))
    throw new RangeError(`pgd: ascent must be one of ${ASCENT_RULES.join(', ')}, got '${String(ascent)}'`);
  return { eps: opts.eps, steps, stepSize, ascent };
}

/** Projected gradient ascent on D(S, S + δ) over ‖δ‖∞ ≤ ε, batched over the rows of S. */
export function pgdMaximize(states: Tensor, divergence: Divergence, opts: PgdOptions): PgdResult {
  const { eps, steps, stepSize, ascent } = checkPgdOptions(opts);
  const gens = opts.generator;
  const population = Array.isArray(gens);
  if (states.ndim !== (population ? 3 : 2) || (population && gens.length !== states.shape[0]))
    throw new RangeError(
      `pgd: states must be [B, n] with one generator, or [S, B, n] with S generators; got [${states.shape.join(', ')}] with ${population ? `${gens.length} generators` : 'one generator'}`,
    );
  const s = states.detach();
  const like = { dtype: s.dtype, backend: s.backend };
  let delta = Array.isArray(gens)
    ? sr.stack(gens.map((g: Generator) => g.uniform(s.shape.slice(1), -eps, eps, like)))
    : (gens as Generator).uniform(s.shape, -eps, eps, like);
  // δ_i only affects D_i, so the gradient of Σ_i D_i gives every row its own ascent direction
  const total = sr.grad((d: Tensor) => divergence(s, s.add(d)).sum());
  for (let k = 0; k < steps && eps > 0; k++) {
    const g = total(delta) as Tensor;
    delta = sr.noGrad(() => {
      const dir = ascent === 'sign' ? g.sign() : g;
      return delta.add(dir.mul(stepSize)).clamp(-eps, eps);
    });
  }
  const value = sr.noGrad(() => divergence(s, s.add(delta)));
  return { delta, divergence: value };
}
