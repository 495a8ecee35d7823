/** A synthetic `sr2l eval` result (Hopper-v2, raw ε) with the given rows' episode returns. */
import { summarize } from '../../src/report/stats.js';
import type { AttackName, RobustnessResult, SmoothnessRow } from '../../src/rl/robustness/index.js';

export function robustnessResult(
  rows: readonly [attack: AttackName, eps: number, returns: number[]][],
  smoothness: SmoothnessRow[] = [],
): RobustnessResult {
  return {
    envId: 'Hopper-v2',
    seed: 0,
    episodes: 2,
    stochastic: false,
    epsScale: 'raw',
    pgd: { steps: 10, stepFraction: 0.2, ascent: 'sign' },
    obsStd: [1],
    rows: rows.map(([attack, eps, xs]) => ({
      attack,
      eps,
      episodes: xs.length,
      ...summarize(xs),
      deltaLinfMean: eps,
      deltaLinfMax: eps,
      deltaL2Mean: eps,
      wallSeconds: 0.1,
    })),
    smoothness,
    returns: rows.map(([, , xs]) => xs),
  };
}
