/**
 * TRPO (Schulman et al. 2015) and TRPO-SR (SR²L, paper §3.1 eq. 8 and Algorithm 1),
 * as garage runs TRPO (rl-anchors §2.1). Read top to bottom, one iteration is:
 *
 *   1. sample exactly batchSize steps with the stochastic policy (sampler.ts), or garage's
 *      whole paths from lockstep envs (whole-path-sampler.ts)
 *   2. advantages by GAE(γ, λ) from the baseline's values, then centered
 *   3. TRPO-SR only: a worst-case perturbation δ per state by PGD in the ℓ∞ ball
 *   4. the policy step: minimize L(θ) = −surrogate(θ) + λ_s·mean D_J(θ) subject to
 *      mean KL(π_old ‖ π_θ) ≤ δ_KL: direction x = F⁻¹(−∇L) by conjugate gradient on
 *      Fisher-vector products (the engine's Hessian-vector product of the mean KL),
 *      scaled to the trust-region boundary, then a backtracking line search that keeps
 *      only an improving step inside the KL bound
 *   5. fit the baseline to the λ-returns (after the policy step, as garage does)
 *
 * Every hyperparameter, its default and its source is in config.ts (TRPO_DEFAULTS).
 */
import * as sr from '../../autograd/index.js';
import type { Tensor } from '../../autograd/index.js';
import { Generator } from '../../autograd/index.js';
import { type Env, NormalizeObservation, makeEnv } from '../../envs/index.js';
import { openBackend } from '../compute-backend.js';
import { evaluatePolicy } from '../evaluate-policy.js';
import { Rng, type RngState } from '../../util/rng.js';
import type { Baseline } from './baselines/baseline.js';
import { LinearFeatureBaseline } from './baselines/linear-feature.js';
import { MlpValueBaseline } from './baselines/mlp-value.js';
import { GaussianMlpBaseline } from './baselines/gaussian-mlp.js';
import type { TrpoConfig } from './config.js';
import { conjugateGradient } from './conjugate-gradient.js';
import { gaussianEntropy, gaussianLogLikelihood } from './distributions.js';
import { centered, discountedReturns, gae } from './gae.js';
import { GaussianMlpPolicy, type PolicyParams } from './gaussian-policy.js';
import { backtrackingLineSearch } from './line-search.js';
import { dot, readFlat } from '../params.js';
import { CompiledSteps } from './compiled-steps.js';
import { compiledLossAndKl } from './line-search-eval.js';
import { compiledPerturbationSearch } from './perturbation-search.js';
import { damped, FisherProducts, meanKl, meanKlFrom, oldPolicyAt } from './fisher.js';
import { type Batch, OnPolicySampler, type SamplerSnapshot, type SamplingPolicy } from './sampler.js';
import { WholePathSampler, type WholePathSnapshot } from './whole-path-sampler.js';
import { innerMaxSettings } from '../smoothness/index.js';
import { type StepInputs, trpoObjective } from './objective.js';

export type { StepInputs } from './objective.js';

/** One row of progress.csv. */
export interface IterationStats {
  Iteration: number;
  EnvSteps: number;
  AverageReturn: number;
  StdReturn: number;
  MinReturn: number;
  MaxReturn: number;
  NumEpisodes: number;
  EvalReturn: number;
  Entropy: number;
  MeanKL: number;
  SurrogateBefore: number;
  SurrogateAfter: number;
  SmoothnessReg: number;
  PerturbationLinf: number;
  LineSearchSteps: number;
  CGResidual: number;
  TimeSampling: number;
  TimeOptimize: number;
}

/** The progress columns of one policy step (steps 3 and 4). */
export type PolicyStepStats = Pick<
  IterationStats,
  | 'Entropy'
  | 'MeanKL'
  | 'SurrogateBefore'
  | 'SurrogateAfter'
  | 'SmoothnessReg'
  | 'PerturbationLinf'
  | 'LineSearchSteps'
  | 'CGResidual'
>;

/** Step 2's results: the policy step's advantages, and the baseline's targets. */
export interface Advantages {
  advantages: Float64Array;
  returns: Float64Array;
  bootstrap: number[];
}

/** Per-parameter gradient norms of one iteration (grads.csv). */
export interface GradNorms {
  surrogate: Record<string, number>;
  regularizer: Record<string, number>;
}

/** The host-side state a checkpoint needs besides the tensors. */
export interface TrainerState {
  iteration: number;
  envSteps: number;
  sampler: SamplerSnapshot | WholePathSnapshot;
  perturbation: RngState;
}

export class TrpoTrainer {
  iteration = 0;
  envSteps = 0;
  /** set by each iteration when logGrads is on */
  lastGradNorms: GradNorms | null = null;
  /** the last policy step's inputs */
  lastStepInputs: StepInputs | null = null;

  private constructor(
    readonly config: TrpoConfig,
    readonly env: Env,
    readonly normalizer: NormalizeObservation | null,
    readonly policy: GaussianMlpPolicy,
    readonly baseline: Baseline,
    readonly sampler: OnPolicySampler | WholePathSampler,
    readonly perturbation: Generator,
  ) {}

  /**
   * Builds env, policy, baseline and sampler; every random stream derives from config.seed.
   * `makeEnv` replaces the registry's config.env (then only a label), e.g. the optimal
   * attack's adversary MDP (robustness/adversary-env.ts).
   */
  static async create(config: TrpoConfig, opts: { makeEnv?: () => Promise<Env> } = {}): Promise<TrpoTrainer> {
    const backend = await openBackend(config.backend);
    const root = new Rng(config.seed);
    const streams = {
      policy: root.fork('policy-init'),
      baseline: root.fork('baseline').nextUint32(),
      sampler: root.fork('sampler').nextUint32(),
      perturbation: root.fork('perturbation'),
    };
    const raw = opts.makeEnv ? await opts.makeEnv() : await makeEnv(config.env, envOptions(config));
    const normalizer = config.normalizeObs ? new NormalizeObservation(raw) : null;
    const env = normalizer ?? raw;
    const obsDim = env.observationSpace.shape[0]!;
    const actDim = env.actionSpace.shape[0]!;
    const policy = new GaussianMlpPolicy({
      obsDim,
      actDim,
      hidden: config.hidden,
      initStd: config.initStd,
      dtype: config.dtype,
      backend,
      rng: streams.policy,
    });
    const baselineOpts = { dtype: config.dtype, backend, seed: streams.baseline };
    const baseline: Baseline =
      config.baseline === 'linear'
        ? new LinearFeatureBaseline(obsDim)
        : config.baseline === 'gaussian-mlp'
          ? new GaussianMlpBaseline(obsDim, baselineOpts)
          : new MlpValueBaseline(obsDim, baselineOpts);
    const sampler =
      config.sampler === 'whole-paths'
        ? new WholePathSampler(env, normalizer, streams.sampler, config.clipActions, config.samplerEnvs)
        : new OnPolicySampler(env, normalizer, streams.sampler, config.clipActions);
    return new TrpoTrainer(
      config,
      env,
      normalizer,
      policy,
      baseline,
      sampler,
      new Generator(streams.perturbation),
    );
  }

  /** One TRPO / TRPO-SR iteration; returns its progress row (EvalReturn NaN unless evaluated). */
  async iterate(): Promise<IterationStats> {
    const t0 = performance.now();
    // 1. sample
    const batch = await this.sample(this.policy);
    return this.learnFrom(batch, t0, performance.now());
  }

  /** Step 1 with the given policy (a population passes its lockstep view of this member's policy). */
  sample(policy: SamplingPolicy): Promise<Batch> {
    return this.sampler.sample(policy, this.config.batchSize);
  }

  /** Steps 2–5 on a sampled batch; t0 and t1 bracket the sampling (TimeSampling). */
  async learnFrom(batch: Batch, t0: number, t1: number): Promise<IterationStats> {
    const adv = await this.advantagesOf(batch);
    // 3 + 4. the policy step
    const step = await this.policyStep(batch, adv.advantages);
    return this.finishIteration(batch, adv, step, t0, t1);
  }

  /** Step 2: advantages (the baseline is the one fitted at the end of the previous iteration). */
  async advantagesOf(batch: Batch): Promise<Advantages> {
    const c = this.config;
    const values = await this.baseline.predict(batch.obs, batch.t, batch.size);
    const bootstrap = await this.bootstrapValues(batch);
    const { advantages, returns } = gae(
      batch.rewards,
      values,
      batch.segments,
      bootstrap,
      c.discount,
      c.gaeLambda,
    );
    return { advantages: c.centerAdvantages ? centered(advantages) : advantages, returns, bootstrap };
  }

  /** Step 5 (the baseline) after the policy step, and the iteration's progress row. */
  async finishIteration(
    batch: Batch,
    adv: Advantages,
    step: PolicyStepStats,
    t0: number,
    t1: number,
  ): Promise<IterationStats> {
    const c = this.config;
    const targets =
      c.baselineTarget === 'discounted-returns'
        ? discountedReturns(batch.rewards, batch.segments, adv.bootstrap, c.discount)
        : adv.returns;
    await this.baseline.fit(batch.obs, batch.t, targets, batch.size);
    const t2 = performance.now();

    this.iteration++;
    this.envSteps += batch.size;
    const rets = batch.episodeReturns;
    const mean = rets.length ? rets.reduce((a, b) => a + b, 0) / rets.length : NaN;
    return {
      Iteration: this.iteration,
      EnvSteps: this.envSteps,
      AverageReturn: mean,
      StdReturn: rets.length ? Math.sqrt(rets.reduce((a, r) => a + (r - mean) ** 2, 0) / rets.length) : NaN,
      MinReturn: rets.length ? Math.min(...rets) : NaN,
      MaxReturn: rets.length ? Math.max(...rets) : NaN,
      NumEpisodes: rets.length,
      EvalReturn: NaN,
      ...step,
      TimeSampling: (t1 - t0) / 1000,
      TimeOptimize: (t2 - t1) / 1000,
    };
  }

  private async bootstrapValues(batch: Batch): Promise<number[]> {
    const open = batch.segments.filter((s) => s.nextObs !== null);
    if (open.length === 0) return batch.segments.map(() => 0);
    const obs = new Float64Array(open.length * batch.obsDim);
    open.forEach((s, i) => obs.set(s.nextObs!, i * batch.obsDim));
    const v = await this.baseline.predict(
      obs,
      open.map((s) => s.nextT),
      open.length,
    );
    let k = 0;
    return batch.segments.map((s) => (s.nextObs !== null ? v[k++]! : 0));
  }

  // compiled once per trainer (traced at the first iteration, replayed after): they take
  // the iteration's tensors as arguments and read the policy's parameters by reference
  /** The policy step's compiled programs by name (each traces at the first iteration, then replays) */
  readonly compiled = new CompiledSteps();

  /**
   * TRPO-SR: s̃ = s + δ, δ maximizing D_J(π_old(·|s), π_old(·|s + δ)) (ℓ∞ ball or §4's dual
   * form), with the progress columns' mean D_J and mean ‖δ‖∞; μ_old(s) does not depend on δ
   */
  private readonly perturbationSearch = this.compiled.add(
    'perturbationSearch',
    compiledPerturbationSearch(
      () => this.policy,
      () => innerMaxSettings(this.config, this.perturbation),
      (t) => t.mean(),
      'trpo perturbation search',
    ),
  );

  /** L and ∇L at θ_k */
  private readonly lossAndGrad = this.compiled.add(
    'lossAndGrad',
    sr.compile(
      (x: StepInputs) => {
        const params = this.policy.paramList();
        const { loss } = trpoObjective(this.policy, x, this.config.lambdaS);
        return sr.valueAndGrad(
          loss,
          params.map((_, i) => i),
        )(...params) as [Tensor, Tensor[]];
      },
      { name: 'trpo loss and gradient', fuse: true },
    ),
  );

  /** F·v at θ_k: the KL's forward and first backward pass shared by conjugate gradient's products */
  private readonly fisher = new FisherProducts(
    () => this.policy.paramList(),
    (x) => meanKl(this.policy, x),
    'trpo Fisher-vector product',
    this.compiled,
  );

  /** [L, mean KL(π_old ‖ π_θ)] at the parameters written now (the line search's trial points) */
  private readonly lossAndKl = this.compiled.add(
    'lineSearch',
    compiledLossAndKl(
      () => this.policy,
      (x, mu, ps) => trpoObjective(this.policy, x, this.config.lambdaS).lossFrom(mu, ps),
      (old, mu, ps) => meanKlFrom(old, mu, this.policy.logStdOf(ps)),
      'trpo line search loss and KL',
    ),
  );

  /** [surrogate at θ_old (the ratio is 1 there), surrogate now, entropy now] */
  private readonly stepStats = this.compiled.add(
    'stepStats',
    sr.compile(
      (x: StepInputs) => {
        const params = this.policy.paramList();
        return sr.noGrad(() => [
          x.advantages.mean(),
          trpoObjective(this.policy, x, this.config.lambdaS).surrogate(params),
          gaussianEntropy(this.policy.logStd),
        ]);
      },
      { name: 'trpo step statistics', fuse: true },
    ),
  );

  private async policyStep(batch: Batch, adv: Float64Array): Promise<PolicyStepStats> {
    const c = this.config;
    const policy = this.policy;
    const params = policy.paramList();
    const obs = policy.toTensor(batch.obs, batch.size);
    const actions = policy.toTensor(batch.actions, batch.size);
    const advantages = policy.toTensor(adv, batch.size).reshape([batch.size]);

    // π_old = the current policy, held fixed for this iteration
    const old = oldPolicyAt(policy, obs);
    const oldLogLik = sr.noGrad(() => gaussianLogLikelihood(old.oldMean, old.oldLogStd, actions));

    // 3. TRPO-SR: s̃ = s + δ, δ maximizing D_J(π_old(·|s), π_old(·|s + δ)) in the ℓ∞ ball
    //    (or D_J − γ‖δ‖², the Wasserstein form)
    let perturbedObs: Tensor | null = null;
    let smoothness = NaN;
    let perturbationLinf = NaN;
    if (c.algo === 'trpo-sr') {
      const pgd = this.perturbationSearch(obs, old.oldMean);
      perturbedObs = pgd.perturbedObs;
      smoothness = (await pgd.smoothness.data())[0]!;
      perturbationLinf = (await pgd.linf.data())[0]!;
    }
    const x: StepInputs = { obs, actions, advantages, oldLogLik, perturbedObs };
    this.lastStepInputs = x;

    // ∇L at θ_k (and, for --log-grads, the two parts separately)
    const [lossBeforeT, gradsT] = this.lossAndGrad(x);
    const lossBefore = (await lossBeforeT.data())[0]!;
    const g = await readFlat(gradsT);
    if (c.logGrads) {
      const { surrogate, regularizer } = trpoObjective(policy, x, c.lambdaS);
      this.lastGradNorms = await this.gradNorms(params, surrogate, regularizer);
    }

    // F·v + damping·v, F = ∇²θ mean KL(π_old ‖ π_θ) at θ = θ_k (the engine's hvp: grad of grad·v)
    const fvp = damped(params, this.fisher.at(old), c.cgDamping);
    const negG = g.map((v) => -v);
    const cg = await conjugateGradient(fvp, negG, c.cgIters, c.cgResidualTol);

    // step to the trust-region boundary: ½ βxᵀFx·β = δ ⇒ β = √(2δ / xᵀFx) (garage adds 1e-8)
    const xFx = dot(cg.x, await fvp(cg.x));
    const beta = Math.sqrt((2 * c.maxKl) / (xFx + 1e-8));
    const fullStep = cg.x.map((v) => beta * v);

    const evaluate = async (): Promise<[number, number]> => {
      const [l, k] = this.lossAndKl(x, old);
      return [(await l!.data())[0]!, (await k!.data())[0]!];
    };
    const ls = await backtrackingLineSearch(params, fullStep, lossBefore, evaluate, {
      backtrackRatio: c.backtrackRatio,
      maxBacktracks: c.maxBacktracks,
      maxKl: c.maxKl,
    });

    const [surrBefore, surrAfter, entropy] = await Promise.all(this.stepStats(x).map((t) => t.data()));
    return {
      Entropy: entropy![0]!,
      MeanKL: ls.kl,
      SurrogateBefore: surrBefore![0]!,
      SurrogateAfter: surrAfter![0]!,
      SmoothnessReg: smoothness,
      PerturbationLinf: perturbationLinf,
      LineSearchSteps: ls.accepted ? ls.steps : -ls.steps,
      CGResidual: cg.residual,
    };
  }

  private async gradNorms(
    params: Tensor[],
    surrogate: (ps: PolicyParams) => Tensor,
    regularizer: ((ps: PolicyParams) => Tensor) | null,
  ): Promise<GradNorms> {
    const names = this.policy.paramNames();
    const norms = async (f: (ps: PolicyParams) => Tensor): Promise<Record<string, number>> => {
      const gs = sr.grad(
        (...ps: Tensor[]) => f(ps),
        params.map((_, i) => i),
      )(...params) as Tensor[];
      const out: Record<string, number> = {};
      for (let i = 0; i < gs.length; i++) {
        out[names[i]!] = Math.sqrt((await gs[i]!.square().sum().data())[0]!);
      }
      return out;
    };
    return {
      surrogate: await norms((ps) => surrogate(ps).neg()),
      regularizer: regularizer ? await norms(regularizer) : {},
    };
  }

  /** Mean undiscounted return of the deterministic policy (μ(s)) on fresh episodes. */
  async evaluate(episodes: number, seed: number): Promise<number> {
    const env = await makeEnv(this.config.env, envOptions(this.config));
    const obsNorm = new Float64Array(this.sampler.obsDim);
    const action = new Float64Array(this.sampler.actDim);
    const { low, high } = env.actionSpace;
    return evaluatePolicy(env, episodes, seed, async (obs) => {
      const input = this.normalizer ? this.normalizer.apply(obs, obsNorm) : obs;
      await this.policy.meanAt(input, action);
      if (this.config.clipActions)
        for (let j = 0; j < action.length; j++) action[j] = Math.min(high[j]!, Math.max(low[j]!, action[j]!));
      return action;
    });
  }

  getState(): TrainerState {
    return {
      iteration: this.iteration,
      envSteps: this.envSteps,
      sampler: this.sampler.snapshot(),
      perturbation: this.perturbation.getState(),
    };
  }

  setState(s: TrainerState): void {
    if (this.sampler instanceof WholePathSampler) this.sampler.restore(s.sampler as WholePathSnapshot);
    else this.sampler.restore(s.sampler as SamplerSnapshot);
    this.perturbation.setState(s.perturbation);
    this.iteration = s.iteration;
    this.envSteps = s.envSteps;
  }

  close(): void {
    this.env.close();
  }
}

/** The registry options of a run's environment (a population's worker threads build theirs with them). */
export function envOptions(c: TrpoConfig): { maxEpisodeSteps?: number } {
  return c.maxEpisodeSteps === null ? {} : { maxEpisodeSteps: c.maxEpisodeSteps };
}
