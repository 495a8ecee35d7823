/**
 * TRPO's backtracking line search (garage's ConjugateGradientOptimizer, rl-anchors §2.1):
 * try θ₀ + ratio^k · step for k = 0 … maxBacktracks−1 and accept the first point whose
 * loss is below the loss at θ₀ and whose mean KL is within the trust region. If none
 * qualifies (or a value is not finite), the parameters are restored to θ₀ exactly: the
 * saved values are written back, so the restore is bit for bit.
 */
import type { Tensor } from '../../autograd/index.js';
import { readFlat, writeFlat } from '../params.js';

export interface LineSearchOptions {
  /** step shrink factor (garage: 0.8) */
  backtrackRatio?: number;
  /** tries (garage: 15) */
  maxBacktracks?: number;
  /** trust region δ on the mean KL (garage: 0.01) */
  maxKl: number;
}

export interface LineSearchResult {
  accepted: boolean;
  /** the number of points evaluated (1 … maxBacktracks) */
  steps: number;
  /** the step fraction ratio^k accepted, 0 when rejected */
  fraction: number;
  lossBefore: number;
  /** the loss at the parameters left in place */
  lossAfter: number;
  /** mean KL(old ‖ new) at the parameters left in place */
  kl: number;
}

/**
 * `evaluate` computes [loss, meanKl] at the parameters currently written to `params`.
 * `lossBefore` is the loss at the current parameters (KL 0 there).
 */
export async function backtrackingLineSearch(
  params: readonly Tensor[],
  step: Float64Array,
  lossBefore: number,
  evaluate: () => Promise<[number, number]>,
  opts: LineSearchOptions,
): Promise<LineSearchResult> {
  const ratio = opts.backtrackRatio ?? 0.8;
  const tries = opts.maxBacktracks ?? 15;
  const theta0 = await readFlat(params);
  const trial = new Float64Array(theta0.length);
  let k = 0;
  for (; k < tries; k++) {
    const fraction = ratio ** k;
    for (let i = 0; i < trial.length; i++) trial[i] = theta0[i]! + fraction * step[i]!;
    writeFlat(params, trial);
    const [loss, kl] = await evaluate();
    if (Number.isFinite(loss) && Number.isFinite(kl) && loss < lossBefore && kl <= opts.maxKl) {
      return { accepted: true, steps: k + 1, fraction, lossBefore, lossAfter: loss, kl };
    }
  }
  writeFlat(params, theta0);
  return { accepted: false, steps: k, fraction: 0, lossBefore, lossAfter: lossBefore, kl: 0 };
}
