/**
 * garage v2019.10.3's GaussianMLPBaseline, the baseline of its TRPO benchmark harness
 * (docs/presets.md): a GaussianMLPRegressor (src/garage/tf/regressors/
 * gaussian_mlp_regressor.py) predicting N(μ(s), σ²) of the return, with
 *  - a 32 × 32 tanh MLP for μ and a learned state-independent log σ (init σ = 1);
 *  - inputs and outputs normalized by the mean and std of each fit's data (+1e-8 on the std);
 *  - each fit minimizing the negative log-likelihood of the normalized targets with
 *    PenaltyLbfgsOptimizer: L-BFGS (20 iterations) on NLL + penalty · mean KL(old ‖ new),
 *    the penalty (initial 1, in [1e-2, 1e6], ×2 or ×0.5, up to 10 tries, carried across
 *    fits) adapted until the mean KL is ≤ max_kl_step 0.01, from the same start each try.
 * The value predicted is μ(s). Our L-BFGS line search is Armijo backtracking, SciPy's is
 * strong Wolfe (nn/optim/lbfgs.ts).
 */
import { readFile } from 'node:fs/promises';
import * as sr from '../../../autograd/index.js';
import type { Tensor } from '../../../autograd/index.js';
import type { Backend } from '../../../kernels/backend.js';
import type { FloatDType } from '../../../kernels/dtype.js';
import { MLP, loadModule, saveModule } from '../../../nn/node.js';
import { lbfgsMinimize } from '../../../nn/optim/lbfgs.js';
import { writeFileAtomic } from '../../../util/atomic-write.js';
import { Rng } from '../../../util/rng.js';
import { readFlat, splitFlat, writeFlat } from '../../params.js';
import { gaussianKl, gaussianLogLikelihood } from '../distributions.js';
import type { Baseline } from './baseline.js';

export interface GaussianMlpBaselineOptions {
  /** hidden sizes (garage: 32, 32) */
  hidden?: readonly number[];
  /** mean-KL bound of each fit (garage max_kl_step: 0.01) */
  maxKl?: number;
  /** L-BFGS iterations per try (garage PenaltyLbfgsOptimizer max_opt_itr: 20) */
  lbfgsIterations?: number;
  dtype?: FloatDType;
  backend?: Backend;
  seed?: number;
}

/** PenaltyLbfgsOptimizer's defaults (garage v2019.10.3 src/garage/tf/optimizers/penalty_lbfgs_optimizer.py). */
const PENALTY = { initial: 1, min: 1e-2, max: 1e6, increase: 2, decrease: 0.5, tries: 10 };

interface State {
  xMean: number[];
  xStd: number[];
  yMean: number;
  yStd: number;
  logStd: number;
  penalty: number;
}

export class GaussianMlpBaseline implements Baseline {
  readonly kind = 'gaussian-mlp' as const;
  readonly net: MLP;
  private readonly maxKl: number;
  private readonly lbfgsIterations: number;
  private readonly dtype: FloatDType;
  private state: State;

  constructor(
    readonly obsDim: number,
    opts: GaussianMlpBaselineOptions = {},
  ) {
    this.dtype = opts.dtype ?? 'float32';
    this.net = new MLP([obsDim, ...(opts.hidden ?? [32, 32]), 1], {
      hidden: 'tanh',
      output: 'none',
      rng: new Rng(opts.seed ?? 0).fork('init'),
      dtype: this.dtype,
      ...(opts.backend ? { backend: opts.backend } : {}),
    });
    this.maxKl = opts.maxKl ?? 0.01;
    this.lbfgsIterations = opts.lbfgsIterations ?? 20;
    this.state = {
      xMean: new Array<number>(obsDim).fill(0),
      xStd: new Array<number>(obsDim).fill(1),
      yMean: 0,
      yStd: 1,
      logStd: 0,
      penalty: PENALTY.initial,
    };
  }

  /** The current penalty of the KL term (carried from fit to fit, as garage's optimizer does). */
  get penalty(): number {
    return this.state.penalty;
  }

  /** Mean KL(old ‖ new) of the last fit's accepted parameters (0 when none held the bound). */
  lastKl = 0;

  private normalizedInput(obs: Float64Array, rows: number): Tensor {
    const n = this.obsDim;
    const x = new Float64Array(rows * n);
    for (let r = 0; r < rows; r++)
      for (let j = 0; j < n; j++)
        x[r * n + j] = (obs[r * n + j]! - this.state.xMean[j]!) / this.state.xStd[j]!;
    return sr.tensor(x, { shape: [rows, n], dtype: this.dtype, backend: this.net.parameters()[0]!.backend });
  }

  /** μ̂ in normalized output units, [rows, 1], with explicit MLP parameters. */
  private normalizedMean(x: Tensor, params: readonly Tensor[]): Tensor {
    let h = x;
    let i = 0;
    for (const layer of this.net.layers) {
      h = sr.linear(h, params[i]!, params[i + 1]!, layer.activation);
      i += 2;
    }
    return h;
  }

  async predict(obs: Float64Array, _t: ArrayLike<number>, rows: number): Promise<Float64Array> {
    const mu = sr.noGrad(() => this.normalizedMean(this.normalizedInput(obs, rows), this.net.parameters()));
    const { yMean, yStd } = this.state;
    return Float64Array.from(await mu.data(), (v) => v * yStd + yMean);
  }

  async fit(obs: Float64Array, _t: ArrayLike<number>, targets: Float64Array, rows: number): Promise<void> {
    const n = this.obsDim;
    // garage sets the normalization from this fit's data first, then takes the old distribution
    const xMean = new Array<number>(n).fill(0);
    const xStd = new Array<number>(n).fill(0);
    for (let r = 0; r < rows; r++) for (let j = 0; j < n; j++) xMean[j]! += obs[r * n + j]! / rows;
    for (let r = 0; r < rows; r++)
      for (let j = 0; j < n; j++) xStd[j]! += (obs[r * n + j]! - xMean[j]!) ** 2 / rows;
    let yMean = 0;
    for (let r = 0; r < rows; r++) yMean += targets[r]! / rows;
    let yVar = 0;
    for (let r = 0; r < rows; r++) yVar += (targets[r]! - yMean) ** 2 / rows;
    this.state = {
      ...this.state,
      xMean,
      xStd: xStd.map((v) => Math.sqrt(v) + 1e-8),
      yMean,
      yStd: Math.sqrt(yVar) + 1e-8,
    };
    const x = this.normalizedInput(obs, rows);
    const like = { dtype: this.dtype, backend: x.backend };
    const y = sr.tensor(
      Float64Array.from(targets.subarray(0, rows), (v) => (v - yMean) / this.state.yStd),
      { shape: [rows, 1], ...like },
    );
    const weights = this.net.parameters();
    const logStd0 = sr.full([1], this.state.logStd, like);
    const all = [...weights, logStd0];
    const start = await readFlat(all);
    const oldMean = sr.noGrad(() => this.normalizedMean(x, weights));
    const oldLogStd = logStd0.detach();

    const parts = (ps: readonly Tensor[]): { nll: Tensor; kl: Tensor } => {
      const mean = this.normalizedMean(x, ps.slice(0, -1));
      const logStd = ps.at(-1)!;
      return {
        nll: gaussianLogLikelihood(mean, logStd, y).mean().neg(),
        kl: gaussianKl(oldMean, oldLogStd, mean, logStd).mean(),
      };
    };
    const objective = (penalty: number) => async (theta: Float64Array) => {
      const [value, grads] = sr.valueAndGrad(
        (...ps: Tensor[]) => {
          const { nll, kl } = parts(ps);
          return nll.add(kl.mul(penalty));
        },
        all.map((_, i) => i),
      )(...splitFlat(all, theta)) as [Tensor, Tensor[]];
      return { value: (await value.data())[0]!, grad: await readFlat(grads) };
    };
    const klAt = async (theta: Float64Array): Promise<number> =>
      (await sr.noGrad(() => parts(splitFlat(all, theta)).kl).data())[0]!;

    // PenaltyLbfgsOptimizer.optimize: the first try sets the direction (×2 while the bound is
    // violated, ×0.5 while it holds); stop once the bound flips; keep the last θ that held it
    // (none held: the parameters stay as they were)
    let tryPenalty = Math.min(PENALTY.max, Math.max(PENALTY.min, this.state.penalty));
    let scale: number | null = null;
    let chosen = start;
    this.lastKl = 0;
    for (let k = 0; k < PENALTY.tries; k++) {
      const { x: theta } = await lbfgsMinimize(objective(tryPenalty), start, {
        maxIterations: this.lbfgsIterations,
      });
      const kl = await klAt(theta);
      if (kl < this.maxKl) {
        chosen = theta;
        this.lastKl = kl;
      }
      if (scale === null || Number.isNaN(kl))
        scale = kl > this.maxKl || Number.isNaN(kl) ? PENALTY.increase : PENALTY.decrease;
      else if ((scale > 1 && kl <= this.maxKl) || (scale < 1 && kl >= this.maxKl)) break;
      tryPenalty = Math.min(PENALTY.max, Math.max(PENALTY.min, tryPenalty * scale));
      this.state.penalty = tryPenalty;
    }
    writeFlat(weights, chosen.subarray(0, chosen.length - 1));
    this.state.logStd = chosen[chosen.length - 1]!;
  }

  async save(prefix: string): Promise<void> {
    await saveModule(`${prefix}.safetensors`, this.net, { kind: this.kind });
    await writeFileAtomic(`${prefix}-state.json`, new TextEncoder().encode(JSON.stringify(this.state)));
  }

  async load(prefix: string): Promise<void> {
    await loadModule(`${prefix}.safetensors`, this.net);
    const file = `${prefix}-state.json`;
    let s: Partial<State>;
    try {
      s = JSON.parse(await readFile(file, 'utf8')) as Partial<State>;
    } catch (e) {
      throw new Error(`${file}: cannot read the gaussian-mlp baseline state (${(e as Error).message})`, {
        cause: e,
      });
    }
    for (const k of ['xMean', 'xStd', 'yMean', 'yStd', 'logStd', 'penalty'] as const)
      if (s[k] === undefined) throw new Error(`${file}: missing '${k}'`);
    if (s.xMean!.length !== this.obsDim)
      throw new Error(`${file}: xMean has ${s.xMean!.length} entries, the observation ${this.obsDim}`);
    this.state = s as State;
  }
}
