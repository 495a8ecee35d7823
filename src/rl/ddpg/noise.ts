/**
 * Exploration noise for deterministic policies, in normalized action units (the policy's
 * tanh range [−1, 1]; the caller scales by the action bounds' half-range, as garage's
 * `normalize(env)` wrapper does).
 *
 * Ornstein–Uhlenbeck (garage19 `np/exploration_strategies/ou_strategy.py`, Euler step):
 *   x ← x + θ(μ − x)dt + σ√dt·N(0, 1)
 * so x_t = μ + (x_0 − μ)ρ^t + noise with ρ = 1 − θ·dt, Var x_t → σ²dt / (1 − ρ²) and
 * lag-k autocorrelation ρ^k. Gaussian noise (σ·N(0, 1), independent per step) is the option.
 */
import { checkNumber, checkOneOf, checkPositiveInt } from '../../nn/checks.js';
import { Rng, type RngState } from '../../util/rng.js';

export type NoiseKind = 'ou' | 'gaussian';
export const NOISE_KINDS: readonly NoiseKind[] = ['ou', 'gaussian'];

export interface NoiseOptions {
  kind: NoiseKind;
  /** σ (garage DDPG benchmarks: 0.2) */
  sigma: number;
  /** OU mean reversion θ (garage: 0.15) */
  theta?: number;
  /** OU time step (garage: 0.01) */
  dt?: number;
  /** OU long-run mean μ (garage: 0) */
  mu?: number;
}

export interface NoiseState {
  kind: NoiseKind;
  x: number[];
  rng: RngState;
}

export class ExplorationNoise {
  readonly kind: NoiseKind;
  readonly sigma: number;
  readonly theta: number;
  readonly dt: number;
  readonly mu: number;
  /** the OU state (unused by Gaussian noise) */
  private readonly x: Float64Array;
  private readonly rng: Rng;

  constructor(dim: number, opts: NoiseOptions, rng: Rng) {
    checkPositiveInt('ExplorationNoise', 'dim', dim);
    this.kind = checkOneOf('ExplorationNoise', 'kind', opts.kind, NOISE_KINDS);
    this.sigma = checkNumber('ExplorationNoise', 'sigma', opts.sigma, { min: 0 });
    this.theta = checkNumber('ExplorationNoise', 'theta', opts.theta ?? 0.15, { min: 0 });
    this.dt = checkNumber('ExplorationNoise', 'dt', opts.dt ?? 0.01, { min: 0, minExclusive: true });
    this.mu = checkNumber('ExplorationNoise', 'mu', opts.mu ?? 0);
    this.x = new Float64Array(dim).fill(this.mu);
    this.rng = rng;
  }

  get dim(): number {
    return this.x.length;
  }

  /** Back to the start state (x = μ); called at the start of every episode. */
  reset(): void {
    this.x.fill(this.mu);
  }

  /** Advances the process one step and writes the noise into `out`. */
  sample(out: Float64Array = new Float64Array(this.x.length)): Float64Array {
    if (out.length !== this.x.length)
      throw new RangeError(
        `ExplorationNoise.sample: out has ${out.length} entries, expected ${this.x.length}`,
      );
    if (this.kind === 'gaussian') {
      for (let i = 0; i < out.length; i++) out[i] = this.sigma * this.rng.normal();
      return out;
    }
    const { theta, mu, dt, sigma } = this;
    const sq = Math.sqrt(dt);
    for (let i = 0; i < out.length; i++) {
      const x = this.x[i]!;
      this.x[i] = x + theta * (mu - x) * dt + sigma * sq * this.rng.normal();
      out[i] = this.x[i]!;
    }
    return out;
  }

  getState(): NoiseState {
    return { kind: this.kind, x: [...this.x], rng: this.rng.getState() };
  }

  setState(s: NoiseState): void {
    if (s.kind !== this.kind || !Array.isArray(s.x) || s.x.length !== this.x.length)
      throw new TypeError(
        `ExplorationNoise.setState: expected a '${this.kind}' state of ${this.x.length} entries, got '${s.kind}' with ${s.x?.length}`,
      );
    this.x.set(s.x);
    this.rng.setState(s.rng);
  }
}
