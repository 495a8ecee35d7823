/**
 * `sr2l eval`'s engine: clean rollouts, then each attack at each ε, with per-row return
 * statistics, the perturbation actually applied and wall time; plus the smoothness
 * metric (empirical local Lipschitz ratio, and the divergence `mad` reaches) at each ε on
 * states from the clean rollouts. Every episode i uses reset seed `seed·10⁴ + i` in every
 * row (common random numbers across attacks), so reruns are identical.
 */
import * as sr from '../../autograd/index.js';
import { type Env, type MakeEnvOptions, makeEnv } from '../../envs/index.js';
import { percentile, summarize } from '../../report/stats.js';
import { Rng } from '../../util/rng.js';
import { type EpsScale, EPS_SCALES, pgdMaximize } from '../smoothness/index.js';
import {
  type AttackName,
  type PgdSettings,
  NO_CRITIC,
  checkAttackName,
  checkPgdSettings,
  perturb,
  type AttackSetup,
} from './attacks.js';
import { actionChange, inScaledBall, lipschitzRatio, policyDivergence } from './objectives.js';
import { type OptimalAttackSettings, trainOptimalAttack } from './optimal-attack.js';
import { type RobustSarsaSettings, trainRobustSarsa } from './robust-sarsa.js';
import type { EvalAgent } from './policy.js';
import { columnStd } from './column-std.js';
import { runEpisodes, type EpisodeBatchResult } from './rollout.js';

export { EPS_SCALES, type EpsScale } from '../smoothness/index.js';

export interface RobustnessOptions {
  envId: string;
  envOptions?: MakeEnvOptions;
  agent: EvalAgent;
  attacks: readonly AttackName[];
  eps: readonly number[];
  /** episodes per (attack, ε) (anchors: 50) */
  episodes: number;
  /** sample actions from the Gaussian policy (the paper's rollouts) instead of acting with μ(s) */
  stochastic?: boolean;
  epsScale?: EpsScale;
  seed?: number;
  pgd?: Partial<PgdSettings>;
  /** clean-rollout states the smoothness metric averages over (default 256; 0: skip it) */
  smoothnessStates?: number;
  /** training budget of the Robust Sarsa Q (attack 'sarsa') */
  sarsa?: Partial<RobustSarsaSettings>;
  /** training budget of the optimal attack's adversary (attack 'optimal'), one per ε */
  optimal?: Partial<OptimalAttackSettings>;
  /** builds the task instead of the registry's envId (a task outside the registry, as in tests) */
  makeEnv?: () => Promise<Env>;
  onProgress?: (message: string) => void;
}

export interface RobustnessRow {
  attack: AttackName;
  eps: number;
  episodes: number;
  mean: number;
  std: number;
  median: number;
  min: number;
  max: number;
  /** mean / max over steps of ‖δ‖∞ in ball units (≤ ε), and mean ‖δ‖₂ in raw observation units */
  deltaLinfMean: number;
  deltaLinfMax: number;
  deltaL2Mean: number;
  wallSeconds: number;
}

export interface SmoothnessRow {
  eps: number;
  states: number;
  lipschitzMean: number;
  lipschitzP95: number;
  /** mean over states of the policy divergence the `mad` PGD reaches */
  madDivergenceMean: number;
}

export interface RobustnessResult {
  envId: string;
  seed: number;
  episodes: number;
  stochastic: boolean;
  epsScale: EpsScale;
  pgd: PgdSettings;
  /** per-dimension std of clean observations (the ball's scale with epsScale obs-std) */
  obsStd: number[];
  rows: RobustnessRow[];
  smoothness: SmoothnessRow[];
  /** episode returns of each row, in row order */
  returns: number[][];
}

export function checkEpsList(eps: readonly number[]): number[] {
  if (eps.length === 0) throw new RangeError('eps: give at least one value');
  eps.forEach((e, i) => {
    if (!(Number.isFinite(e) && e >= 0))
      throw new RangeError(`eps[${i}] must be a finite number ≥ 0, got ${e}`);
  });
  return [...new Set(eps)];
}

export async function evaluateRobustness(opts: RobustnessOptions): Promise<RobustnessResult> {
  const attacks = opts.attacks.map(checkAttackName);
  const epsList = checkEpsList(opts.eps);
  if (!(Number.isInteger(opts.episodes) && opts.episodes > 0))
    throw new RangeError(`episodes must be a positive integer, got ${opts.episodes}`);
  const epsScale = opts.epsScale ?? 'raw';
  if (!EPS_SCALES.includes(epsScale))
    throw new RangeError(`eps scale must be one of ${EPS_SCALES.join(', ')}, got '${epsScale}'`);
  const pgd = checkPgdSettings(opts.pgd);
  const seed = opts.seed ?? 0;
  const stochastic = opts.stochastic ?? false;
  const { policy } = opts.agent;
  if (attacks.includes('critic') && !opts.agent.critic) throw new Error(NO_CRITIC);
  if (stochastic && !policy.logStd)
    throw new Error('stochastic rollouts need a Gaussian policy (one with logStd)');
  const log = opts.onProgress ?? (() => {});
  const newEnv = opts.makeEnv ?? (() => makeEnv(opts.envId, opts.envOptions));

  const episodes = async (
    attack: AttackName,
    eps: number,
    setup: AttackSetup | null,
    collectStates = false,
  ): Promise<EpisodeBatchResult & { wallSeconds: number }> => {
    const t0 = performance.now();
    const envs: Env[] = [];
    try {
      for (let i = 0; i < opts.episodes; i++) envs.push(await newEnv());
      const seeds = envs.map((_, i) => seed * 10_000 + i);
      const gen = sr.rng(seed).fork(`attack/${attack}/${eps}`);
      const noise = stochastic ? seeds.map((s) => new Rng(s).fork('action-noise')) : null;
      const r = await runEpisodes({
        envs,
        seeds,
        policy,
        perturb: setup ? (states) => perturb(attack, states, eps, setup, gen) : null,
        actionNoise: noise,
        collectStates,
        eps,
      });
      return { ...r, wallSeconds: (performance.now() - t0) / 1000 };
    } finally {
      for (const e of envs) e.close();
    }
  };

  log(`clean rollouts: ${opts.episodes} episodes`);
  const clean = await episodes('none', 0, null, true);
  const n = policy.obsDim;
  const obsStd = columnStd(clean.states, n);
  const scale = epsScale === 'obs-std' ? sr.tensor(obsStd, { shape: [n], dtype: policy.dtype }) : null;
  const setup: AttackSetup = { agent: opts.agent, pgd, scale };

  const rows: RobustnessRow[] = [];
  const returns: number[][] = [];
  const addRow = (attack: AttackName, eps: number, r: EpisodeBatchResult & { wallSeconds: number }): void => {
    const s = summarize(r.returns);
    rows.push({
      attack,
      eps,
      episodes: r.returns.length,
      mean: s.mean,
      std: s.std,
      median: s.median,
      min: s.min,
      max: s.max,
      deltaLinfMean: r.unitLinfMean,
      deltaLinfMax: r.unitLinfMax,
      deltaL2Mean: r.deltaL2Mean,
      wallSeconds: r.wallSeconds,
    });
    returns.push(r.returns);
  };
  if (attacks.includes('none')) addRow('none', 0, clean);
  if (attacks.includes('sarsa')) {
    // one Q for every ε; its robustness term uses the largest (SA-PPO scans this ε separately)
    const eps = Math.max(...epsList);
    log(`sarsa: training the Robust Sarsa Q (robustness ε=${eps})`);
    const q = await trainRobustSarsa({
      victim: policy,
      makeEnv: newEnv,
      eps,
      epsScale,
      seed,
      ...(opts.sarsa ? { settings: opts.sarsa } : {}),
    });
    setup.sarsaCritic = q.critic;
    log(`sarsa: ${q.transitions} transitions, final TD loss ${q.finalTdLoss.toPrecision(3)}`);
  }
  for (const attack of attacks) {
    if (attack === 'none') continue;
    for (const eps of epsList) {
      if (attack === 'optimal' && eps === 0) {
        // nothing to learn: the ball is a point
        setup.adversary = { perturbation: (s) => sr.zerosLike(s), history: [] };
      } else if (attack === 'optimal') {
        log(`optimal ε=${eps}: training the adversary`);
        setup.adversary = await trainOptimalAttack({
          victim: policy,
          makeEnv: newEnv,
          envId: opts.envId,
          eps,
          scale: epsScale === 'obs-std' ? Float64Array.from(obsStd) : null,
          seed,
          ...(opts.optimal ? { settings: opts.optimal } : {}),
        });
      }
      log(`${attack} ε=${eps}: ${opts.episodes} episodes`);
      addRow(attack, eps, await episodes(attack, eps, setup));
    }
  }

  const smoothness: SmoothnessRow[] = [];
  const nStates = Math.min(opts.smoothnessStates ?? 256, clean.states.length / n);
  if (nStates > 0) {
    const states = sr.tensor(evenRows(clean.states, n, nStates), {
      shape: [nStates, n],
      dtype: policy.dtype,
    });
    for (const eps of epsList) {
      if (eps === 0) continue;
      log(`smoothness ε=${eps}: ${nStates} states`);
      const gen = sr.rng(seed).fork(`smoothness/${eps}`);
      const pgdOpts = {
        eps,
        steps: pgd.steps,
        stepSize: pgd.stepFraction * eps,
        ascent: pgd.ascent,
        generator: gen,
      };
      const worst = pgdMaximize(states, inScaledBall(actionChange(policy), scale), pgdOpts).delta;
      const ratio = sr.noGrad(() => lipschitzRatio(policy, scale)(states, states.add(worst)));
      const lip = Array.from(await ratio.data());
      const mad = await pgdMaximize(
        states,
        inScaledBall(policyDivergence(policy), scale),
        pgdOpts,
      ).divergence.data();
      const s = summarize(lip);
      smoothness.push({
        eps,
        states: nStates,
        lipschitzMean: s.mean,
        lipschitzP95: percentile(lip, 0.95),
        madDivergenceMean: summarize(Array.from(mad)).mean,
      });
    }
  }
  return {
    envId: opts.envId,
    seed,
    episodes: opts.episodes,
    stochastic,
    epsScale,
    pgd,
    obsStd,
    rows,
    smoothness,
    returns,
  };
}

/** `count` rows spread evenly over a row-major [rows × n] array. */
function evenRows(data: Float64Array, n: number, count: number): Float64Array {
  const rows = data.length / n;
  const out = new Float64Array(count * n);
  for (let i = 0; i < count; i++) {
    const r = Math.floor((i * rows) / count);
    out.set(data.subarray(r * n, (r + 1) * n), i * n);
  }
  return out;
}

export { columnStd };
