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

/**
 * The ascent loop both forms of the inner maximization share: from `start`, `steps` times
 * δ ← update(δ, ∇δ Σ_i f(S, S + δ)_i). Rows are independent (δ_i only affects f_i), so the
 * gradient of the sum gives every row its own ascent direction. With `keepBest` each row
 * returns its best iterate (start included) rather than the last: a fixed step can
 * overshoot on a non-concave objective. Returns δ, detached.
 */
export function ascend(
  states: Tensor,
  objective: Divergence,
  start: Tensor,
  steps: number,
  update: (delta: Tensor, grad: Tensor) => Tensor,
  keepBest = false,
): Tensor {
  const s = states.detach();
  const total = sr.grad((d: Tensor) => objective(s, s.add(d)).sum());
  const valueAt = (d: Tensor): Tensor => sr.noGrad(() => objective(s, s.add(d)));
  let delta = start;
  let best = delta;
  let bestValue = keepBest ? valueAt(delta) : null;
  for (let k = 0; k < steps; k++) {
    const g = total(delta) as Tensor;
    delta = sr.noGrad(() => update(delta, g));
    if (bestValue) {
      const value = valueAt(delta);
      const [b, v] = sr.noGrad(() => {
        // ≥: among equal values (the flat top of a maximum) the later iterate is the closer one
        const better = value.ge(bestValue!);
        const rowMask = better.reshape([...better.shape, 1]);
        return [best.add(delta.sub(best).mul(rowMask)), bestValue!.add(value.sub(bestValue!).mul(better))];
      });
      best = b!;
      bestValue = v!;
    }
  }
  return keepBest ? best : delta;
}

/**
 * A random start δ₀ ~ U[−r, r] shaped like `states`: [B, n] from one generator, or a
 * population's [S, B, n] with member k's rows from generator k (what its single run draws).
 */
export function uniformStart(generator: Generator | readonly Generator[], states: Tensor, r: number): Tensor {
  const like = { dtype: states.dtype, backend: states.backend };
  return Array.isArray(generator)
    ? sr.stack(generator.map((g: Generator) => g.uniform(states.shape.slice(1), -r, r, like)))
    : (generator as Generator).uniform(states.shape, -r, r, like);
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
  const start = uniformStart(gens, s, eps);
  const delta = ascend(s, divergence, start, eps > 0 ? steps : 0, (d, g) =>
    d.add((ascent === 'sign' ? g.sign() : g).mul(stepSize)).clamp(-eps, eps),
  );
  const value = sr.noGrad(() => divergence(s, s.add(delta)));
  return { delta, divergence: value };
}
