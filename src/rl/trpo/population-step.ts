/**
 * TRPO's policy step (steps 3 and 4 of trpo.ts) for every member of a population at once,
 * on a StackedGaussianMlpPolicy and [S, B, ...] batches. Every loss is the sum over members
 * of each member's own batch mean (population/member-mean.ts), so member k's gradient is
 * its own loss's; the Hessian of the summed mean KLs is block diagonal, so one
 * Hessian-vector product gives every member's Fisher-vector product; conjugate gradient
 * and the line search are the population versions (per-member α, β, accept mask); PGD
 * runs once over all members' states with member k's start drawn from member k's generator.
 *
 * Compiled as the single step is (sr.compile, fused): PGD, the loss and gradient, the
 * Fisher-vector products (KL forward and first backward pass hoisted), the line search's
 * losses and KLs and the statistics are traced at the first iteration and replayed after,
 * reading the stacked policy's parameters by reference, so the policy must be the same
 * object from step to step (TrpoPopulation keeps one and refreshes its values in place).
 */
import * as sr from '../../autograd/index.js';
import type { Generator, Tensor } from '../../autograd/index.js';
import { cloneTensor } from '../../nn/tensor-copy.js';
import { dot, readFlat, writeFlat } from '../params.js';
import { perMemberMean, sumOverMembers } from '../population/member-mean.js';
import { innerMaxSettings } from '../smoothness/index.js';
import type { TrpoConfig } from './config.js';
import { conjugateGradientPopulation } from './conjugate-gradient.js';
import { FisherProducts, type KlInputs } from './fisher.js';
import { gaussianKl, gaussianLogLikelihood, sharedStdJeffreys } from './distributions.js';
import { backtrackingLineSearchPopulation, type MemberParams } from './line-search.js';
import type { StepInputs } from './objective.js';
import type { Batch } from './sampler.js';
import type { StackedGaussianMlpPolicy } from './stacked-gaussian-policy.js';
import type { PolicyStepStats } from './trpo.js';
import { CompiledSteps } from './compiled-steps.js';
import { compiledLossAndKl } from './line-search-eval.js';
import { compiledPerturbationSearch } from './perturbation-search.js';

const LOG_2PI = Math.log(2 * Math.PI);

export interface PopulationStepResult {
  stats: PolicyStepStats[];
  /** member k's step inputs (checkpoints save them for inspect) */
  inputs: StepInputs[];
}

/** One policy step of every member on `policy` (updated in place), compiled once per population. */
export class PopulationPolicyStep {
  constructor(
    readonly policy: StackedGaussianMlpPolicy,
    private readonly generators: readonly Generator[],
    private readonly config: TrpoConfig,
  ) {}

  // log σ is reshaped once per evaluation: its uses then pass their gradients to one tensor,
  // summed in the order a single policy's logStd receives them (two reshapes would sum them
  // in another order and round differently)
  private surrogate(x: StepInputs, logStd: Tensor, meanAtS: Tensor): Tensor {
    return perMemberMean(
      gaussianLogLikelihood(meanAtS, logStd, x.actions).sub(x.oldLogLik).exp().mul(x.advantages),
    );
  }

  /** −surrogate + λ_s · mean D_J per member → [S]; `mu` = μ_θ(s) */
  private lossPerMember(x: StepInputs, ps: readonly Tensor[], mu = this.policy.mean(x.obs, ps)): Tensor {
    const logStd = this.policy.logStdOf(ps);
    const l = this.surrogate(x, logStd, mu).neg();
    if (!x.perturbedObs) return l;
    const reg = perMemberMean(sharedStdJeffreys(mu, this.policy.mean(x.perturbedObs, ps), logStd));
    return l.add(reg.mul(this.config.lambdaS));
  }

  private klPerMember(x: KlInputs, ps: readonly Tensor[], mu = this.policy.mean(x.obs, ps)): Tensor {
    return perMemberMean(gaussianKl(x.oldMean, x.oldLogStd, mu, this.policy.logStdOf(ps)));
  }

  /** The policy step's compiled programs by name (each traces at the first iteration, then replays) */
  readonly compiled = new CompiledSteps();

  /**
   * δ per state maximizing D_J(π_old(·|s), π_old(·|s + δ)), all members at once, with each
   * member's mean D_J and mean ‖δ‖∞ [S]
   */
  private readonly perturbationSearch = this.compiled.add(
    'perturbationSearch',
    compiledPerturbationSearch(
      () => this.policy,
      () => innerMaxSettings(this.config, this.generators),
      perMemberMean,
      'trpo population perturbation search',
    ),
  );

  /** Σ_k L_k and its gradient: member k's slice of each is member k's own */
  private readonly lossAndGrad = this.compiled.add(
    'lossAndGrad',
    sr.compile(
      (x: StepInputs) => {
        const params = this.policy.paramList();
        return sr.valueAndGrad(
          (...ps: Tensor[]) => sumOverMembers(this.lossPerMember(x, ps)),
          params.map((_, i) => i),
        )(...params) as [Tensor, Tensor[]];
      },
      { name: 'trpo population loss and gradient', fuse: true },
    ),
  );

  /** F·v of every member from one Hessian-vector product of Σ_k meanKL_k (block diagonal) */
  private readonly fisher = new FisherProducts(
    () => this.policy.paramList(),
    (x) =>
      (...ps: Tensor[]) =>
        sumOverMembers(this.klPerMember(x, ps)),
    'trpo population Fisher-vector product',
    this.compiled,
  );

  /** [L_k, mean KL_k] of every member [S] at the parameters written now */
  private readonly lossAndKl = this.compiled.add(
    'lineSearch',
    compiledLossAndKl(
      () => this.policy,
      (x, mu, ps) => this.lossPerMember(x, ps, mu),
      (old, mu, ps) => this.klPerMember(old, ps, mu),
      'trpo population line search loss and KL',
    ),
  );

  /** [surrogate at θ_old (the ratio is 1 there), surrogate now, entropy now] of every member [S] */
  private readonly stepStats = this.compiled.add(
    'stepStats',
    sr.compile(
      (x: StepInputs) => {
        const { policy } = this;
        const params = policy.paramList();
        return sr.noGrad(() => [
          perMemberMean(x.advantages),
          this.surrogate(x, policy.logStdOf(params), policy.mean(x.obs, params)),
          policy.logStd.sum(-1).add(0.5 * policy.actDim * (1 + LOG_2PI)),
        ]);
      },
      { name: 'trpo population step statistics', fuse: true },
    ),
  );

  /** All batches must have one size; `adv[k]` is member k's (centered) advantages. */
  async run(batches: readonly Batch[], adv: readonly Float64Array[]): Promise<PopulationStepResult> {
    const c = this.config;
    const policy = this.policy;
    const s = policy.population;
    const b = batches[0]!.size;
    if (batches.length !== s || batches.some((x) => x.size !== b))
      throw new RangeError(
        `PopulationPolicyStep: needs ${s} batches of one size, got sizes ${batches.map((x) => x.size).join(', ')}`,
      );
    const { dtype, backend } = policy.logStd;
    const stacked = (parts: readonly Float64Array[], shape: number[]): Tensor => {
      const data = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
      parts.forEach((p, k) => data.set(p, (k * data.length) / s));
      return sr.tensor(data, { shape: [s, ...shape], dtype, backend });
    };
    const params = policy.paramList();
    const obs = stacked(
      batches.map((x) => x.obs),
      [b, policy.obsDim],
    );
    const actions = stacked(
      batches.map((x) => x.actions),
      [b, policy.actDim],
    );
    const advantages = stacked(adv, [b]);

    // π_old = the current policies, held fixed for this step (log σ_old a copy: the line
    // search writes trial parameters in place)
    const old: KlInputs = {
      obs,
      oldMean: sr.noGrad(() => policy.mean(obs)),
      oldLogStd: cloneTensor(policy.logStdOf()),
    };
    const oldLogLik = sr.noGrad(() => gaussianLogLikelihood(old.oldMean, old.oldLogStd, actions));

    // 3. TRPO-SR: the perturbed states
    let perturbedObs: Tensor | null = null;
    let smoothness: Float64Array | null = null;
    let linf: Float64Array | null = null;
    if (c.algo === 'trpo-sr') {
      const pgd = this.perturbationSearch(obs, old.oldMean);
      perturbedObs = pgd.perturbedObs;
      [smoothness, linf] = await Promise.all([readFlat([pgd.smoothness]), readFlat([pgd.linf])]);
    }
    const x: StepInputs = { obs, actions, advantages, oldLogLik, perturbedObs };

    // ∇L of every member from one backward pass of the summed losses
    const [, grads] = this.lossAndGrad(x);
    const lossBefore = await readFlat([this.lossAndKl(x, old)[0]!]);
    const layout = new MemberLayout(params);
    const g = layout.split(await readFlat(grads));

    // F·v of every member from one Hessian-vector product of Σ_k meanKL_k (block diagonal)
    const fisherTimes = this.fisher.at(old);
    const fvp = async (vs: readonly Float64Array[]): Promise<Float64Array[]> => {
      const hv = layout.split(await readFlat(fisherTimes(layout.tangents(vs))));
      return hv.map((h, k) => {
        for (let i = 0; i < h.length; i++) h[i] = h[i]! + c.cgDamping * vs[k]![i]!;
        return h;
      });
    };
    const cg = await conjugateGradientPopulation(
      (ps) => fvp(ps),
      g.map((gk) => gk.map((v) => -v)),
      c.cgIters,
      c.cgResidualTol,
    );
    const xs = cg.map((r) => r.x);
    const fx = await fvp(xs);
    const steps = xs.map((v, k) => {
      const beta = Math.sqrt((2 * c.maxKl) / (dot(v, fx[k]!) + 1e-8));
      return v.map((e) => beta * e);
    });

    const ls = await backtrackingLineSearchPopulation(
      layout.members(),
      steps,
      Array.from(lossBefore),
      async () => {
        layout.flush();
        const [l, k] = this.lossAndKl(x, old);
        return [Array.from(await readFlat([l!])), Array.from(await readFlat([k!]))];
      },
      { backtrackRatio: c.backtrackRatio, maxBacktracks: c.maxBacktracks, maxKl: c.maxKl },
    );
    layout.flush();

    const [surrBefore, surrAfter, entropy] = await Promise.all(this.stepStats(x).map((t) => readFlat([t])));
    const member = (t: Tensor, k: number): Tensor =>
      sr.noGrad(() => t.slice([k], [k + 1]).reshape(t.shape.slice(1)));
    return {
      stats: ls.map((r, k) => ({
        Entropy: entropy![k]!,
        MeanKL: r.kl,
        SurrogateBefore: surrBefore![k]!,
        SurrogateAfter: surrAfter![k]!,
        SmoothnessReg: smoothness ? smoothness[k]! : NaN,
        PerturbationLinf: linf ? linf[k]! : NaN,
        LineSearchSteps: r.accepted ? r.steps : -r.steps,
        CGResidual: cg[k]!.residual,
      })),
      inputs: batches.map((_, k) => ({
        obs: member(obs, k),
        actions: member(actions, k),
        advantages: member(advantages, k),
        oldLogLik: member(oldLogLik, k),
        perturbedObs: perturbedObs ? member(perturbedObs, k) : null,
      })),
    };
  }
}

/**
 * Where member k's numbers sit in the stacked parameters: its flat vector (a single policy's
 * readFlat order) is slice k of every parameter in turn. Holds a host copy of all parameters
 * for the line search's per-member writes, written back by flush().
 */
class MemberLayout {
  private readonly sizes: number[];
  private host: Float64Array | null = null;
  private dirty = false;

  constructor(private readonly params: readonly Tensor[]) {
    this.sizes = params.map((p) => p.size / p.shape[0]!);
  }

  private get s(): number {
    return this.params[0]!.shape[0]!;
  }

  /** The stacked layout's flat vector (param by param) → member k's flat vector at k. */
  split(flat: Float64Array): Float64Array[] {
    const per = this.sizes.reduce((a, n) => a + n, 0);
    const out = Array.from({ length: this.s }, () => new Float64Array(per));
    let at = 0;
    let to = 0;
    for (const n of this.sizes) {
      for (let k = 0; k < this.s; k++) out[k]!.set(flat.subarray(at + k * n, at + (k + 1) * n), to);
      at += n * this.s;
      to += n;
    }
    return out;
  }

  private join(vs: readonly Float64Array[], into: Float64Array): Float64Array {
    let at = 0;
    let from = 0;
    for (const n of this.sizes) {
      for (let k = 0; k < this.s; k++) into.set(vs[k]!.subarray(from, from + n), at + k * n);
      at += n * this.s;
      from += n;
    }
    return into;
  }

  /** Members' flat vectors as tangents shaped like the parameters. */
  tangents(vs: readonly Float64Array[]): Tensor[] {
    const flat = this.join(vs, new Float64Array(this.s * this.sizes.reduce((a, n) => a + n, 0)));
    let at = 0;
    return this.params.map((p) => {
      const t = sr.tensor(flat.subarray(at, at + p.size), {
        shape: [...p.shape],
        dtype: p.dtype,
        backend: p.backend,
      });
      at += p.size;
      return t;
    });
  }

  /** The line search's view: member k's parameters read from and written to the host copy. */
  members(): MemberParams {
    return {
      count: this.s,
      read: async (k) => this.split(await this.hostCopy())[k]!,
      write: (k, values) => {
        const host = this.host!;
        let at = 0;
        let from = 0;
        for (const n of this.sizes) {
          host.set(values.subarray(from, from + n), at + k * n);
          at += n * this.s;
          from += n;
        }
        this.dirty = true;
      },
    };
  }

  private async hostCopy(): Promise<Float64Array> {
    this.host ??= await readFlat(this.params);
    return this.host;
  }

  /** Writes the host copy's pending changes into the parameters. */
  flush(): void {
    if (this.dirty && this.host) writeFlat(this.params, this.host);
    this.dirty = false;
  }
}
