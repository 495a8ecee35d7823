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

/** Member k's parameters as one flat host vector (a single run has one member). */
export interface MemberParams {
  readonly count: number;
  read(k: number): Promise<Float64Array>;
  write(k: number, values: Float64Array): void;
}

/**
 * `evaluate` computes [loss, meanKl] at the parameters currently written to `params`.
 * `lossBefore` is the loss at the current parameters (KL 0 there). The population of one.
 */
export async function backtrackingLineSearch(
  params: readonly Tensor[],
  step: Float64Array,
  lossBefore: number,
  evaluate: () => Promise<[number, number]>,
  opts: LineSearchOptions,
): Promise<LineSearchResult> {
  const one: MemberParams = { count: 1, read: () => readFlat(params), write: (_, v) => writeFlat(params, v) };
  const [r] = await backtrackingLineSearchPopulation(
    one,
    [step],
    [lossBefore],
    async () => {
      const [loss, kl] = await evaluate();
      return [[loss], [kl]];
    },
    opts,
  );
  return r!;
}

/**
 * The line search for a population, with a per-member accept mask: every try writes the
 * trial point of each member still searching and evaluates all members at once
 * (`evaluate` returns every member's [loss, meanKl]); a member that accepts keeps its
 * accepted parameters from then on, and a member that never accepts gets its old
 * parameters back bit for bit. Member k's result is the single search's on its problem.
 */
export async function backtrackingLineSearchPopulation(
  params: MemberParams,
  steps: readonly Float64Array[],
  lossBefore: readonly number[],
  evaluate: () => Promise<[readonly number[], readonly number[]]>,
  opts: LineSearchOptions,
): Promise<LineSearchResult[]> {
  const ratio = opts.backtrackRatio ?? 0.8;
  const tries = opts.maxBacktracks ?? 15;
  const n = params.count;
  const theta0: Float64Array[] = [];
  for (let m = 0; m < n; m++) theta0.push(await params.read(m));
  const results: (LineSearchResult | null)[] = new Array<LineSearchResult | null>(n).fill(null);
  let k = 0;
  for (; k < tries && results.includes(null); k++) {
    const fraction = ratio ** k;
    for (let m = 0; m < n; m++) {
      if (results[m]) continue;
      const [t0, step] = [theta0[m]!, steps[m]!];
      const trial = new Float64Array(t0.length);
      for (let i = 0; i < trial.length; i++) trial[i] = t0[i]! + fraction * step[i]!;
      params.write(m, trial);
    }
    const [losses, kls] = await evaluate();
    for (let m = 0; m < n; m++) {
      const [loss, kl] = [losses[m]!, kls[m]!];
      if (results[m] || !(Number.isFinite(loss) && Number.isFinite(kl))) continue;
      if (loss < lossBefore[m]! && kl <= opts.maxKl)
        results[m] = {
          accepted: true,
          steps: k + 1,
          fraction,
          lossBefore: lossBefore[m]!,
          lossAfter: loss,
          kl,
        };
    }
  }
  return results.map((r, m) => {
    if (r) return r;
    params.write(m, theta0[m]!);
    return {
      accepted: false,
      steps: k,
      fraction: 0,
      lossBefore: lossBefore[m]!,
      lossAfter: lossBefore[m]!,
      kl: 0,
    };
  });
}
