/**
 * Robust Sarsa (Zhang et al. 2020, SA-MDP §"Robust Sarsa attack"): learn the fixed
 * policy's action value Q^μ(s, a) by temporal differences plus a robustness term that
 * keeps Q smooth in s (so its gradients are reliable), then attack with PGD on the
 * state to minimize Q(s, μ(s + δ)) — the `critic` attack with this learned Q.
 *
 * Data: episodes of the victim on the clean task with Gaussian action noise, so Q is
 * learned off the deterministic action too; the TD target is Q^μ's,
 * y = r + γ·(1 − terminal)·Q′(s′, μ(s′)), with a Polyak-averaged target Q′ (time-limit
 * ends bootstrap). The robustness term is DDPG-SR-C's critic penalty
 * (ddpg/smoothness.ts): λ·mean_i max_{s̃ ∈ B(s_i, ε)} (Q(s_i, a_i) − Q(s̃, a_i))², solved by
 * the shared PGD (SA-PPO bounds it by convex relaxation instead).
 */
import * as sr from '../../autograd/index.js';
import type { Tensor } from '../../autograd/index.js';
import type { Env } from '../../envs/core/env.js';
import { Adam } from '../../nn/optim/adam.js';
import { Rng } from '../../util/rng.js';
import { Critic as CriticNet } from '../ddpg/networks.js';
import { hardUpdate, polyakUpdate } from '../ddpg/polyak.js';
import { criticSmoothnessPenalty } from '../ddpg/smoothness.js';
import type { EpsScale } from '../smoothness/index.js';
import type { Critic, EvalPolicy } from './policy.js';

export interface RobustSarsaSettings {
  /** victim episodes collected on the clean task (our choice) */
  episodes: number;
  /** σ of the Gaussian action noise, as a fraction of each action's half-range (our choice) */
  actionNoise: number;
  /** TD gradient steps (our choice) */
  gradientSteps: number;
  /** minibatch size (garage DDPG's buffer_batch_size 64) */
  minibatch: number;
  /** Adam learning rate (garage DDPG's qf_lr 1e-3) */
  lr: number;
  /** γ (garage TRPO's 0.99) */
  discount: number;
  /** Polyak rate of the target Q (garage DDPG's 0.01) */
  tau: number;
  /** Q hidden sizes, ReLU (the DDPG critic's 64, 64) */
  hidden: number[];
  /** weight of the robustness term (1: the middle of SA-PPO's sarsa_reg scan 0.1 … 10) */
  robustWeight: number;
  /** PGD steps of the robustness term (paper §5: 10) */
  robustSteps: number;
}

export const ROBUST_SARSA_DEFAULTS: RobustSarsaSettings = {
  episodes: 10,
  actionNoise: 0.1,
  gradientSteps: 2000,
  minibatch: 64,
  lr: 1e-3,
  discount: 0.99,
  tau: 0.01,
  hidden: [64, 64],
  robustWeight: 1,
  robustSteps: 10,
};

export interface TrainRobustSarsaOptions {
  victim: EvalPolicy;
  makeEnv: () => Promise<Env>;
  /** ε of the robustness term (the evaluation uses its largest attack ε) */
  eps: number;
  epsScale?: EpsScale;
  seed: number;
  settings?: Partial<RobustSarsaSettings>;
}

export interface RobustSarsaResult {
  critic: Critic;
  /** mean TD loss over the last tenth of the steps */
  finalTdLoss: number;
  transitions: number;
}

interface Transitions {
  obs: number[];
  action: number[];
  reward: number[];
  nextObs: number[];
  /** μ(s′): the victim's action at the next state */
  nextAction: number[];
  terminal: number[];
}

/** Victim episodes with exploration noise; every step records μ(s′) for the TD target. */
async function collect(o: TrainRobustSarsaOptions, s: RobustSarsaSettings, rng: Rng): Promise<Transitions> {
  const env = await o.makeEnv();
  const t: Transitions = { obs: [], action: [], reward: [], nextObs: [], nextAction: [], terminal: [] };
  const { victim } = o;
  const mu = (x: Float64Array): Float64Array =>
    Float64Array.from(
      sr
        .noGrad(() => victim.mean(sr.tensor(x, { shape: [1, victim.obsDim], dtype: victim.dtype })))
        .dataSync(),
    );
  const { low, high } = env.actionSpace;
  try {
    for (let e = 0; e < s.episodes; e++) {
      let obs = env.reset({ seed: rng.nextUint32() }).obs.slice();
      let clean = mu(obs);
      for (;;) {
        const a = clean.map((m, j) => {
          const half = Number.isFinite(high[j]! - low[j]!) ? (high[j]! - low[j]!) / 2 : 1;
          return Math.min(high[j]!, Math.max(low[j]!, m + s.actionNoise * half * rng.normal()));
        });
        const r = env.step(a);
        const next = r.obs.slice();
        clean = mu(next);
        t.obs.push(...obs);
        t.action.push(...a);
        t.reward.push(r.reward);
        t.nextObs.push(...next);
        t.nextAction.push(...clean.map((m, j) => Math.min(high[j]!, Math.max(low[j]!, m))));
        t.terminal.push(r.terminated ? 1 : 0);
        if (r.terminated || r.truncated) break;
        obs = next;
      }
    }
  } finally {
    env.close();
  }
  return t;
}

export async function trainRobustSarsa(o: TrainRobustSarsaOptions): Promise<RobustSarsaResult> {
  const s = { ...ROBUST_SARSA_DEFAULTS, ...o.settings };
  for (const k of ['episodes', 'gradientSteps', 'minibatch', 'robustSteps'] as const)
    if (!(Number.isInteger(s[k]) && s[k] >= (k === 'robustSteps' ? 0 : 1)))
      throw new RangeError(`robust sarsa: ${k} must be a positive integer, got ${s[k]}`);
  for (const k of ['actionNoise', 'lr', 'robustWeight'] as const)
    if (!(Number.isFinite(s[k]) && s[k] >= 0))
      throw new RangeError(`robust sarsa: ${k} must be ≥ 0, got ${s[k]}`);
  const root = new Rng(o.seed).fork('robust-sarsa');
  const data = await collect(o, s, root.fork('data'));
  const n = o.victim.obsDim;
  const m = o.victim.actDim;
  const rows = data.reward.length;
  const dtype = o.victim.dtype;
  const net = { hidden: s.hidden, activation: 'relu' as const, dtype };
  const q = new CriticNet(n, m, { ...net, rng: root.fork('q') });
  const target = new CriticNet(n, m, { ...net, rng: root.fork('q') });
  hardUpdate(target, q);
  const opt = new Adam(q.namedParameters(), { lr: s.lr });
  const pick = root.fork('minibatch');
  const perturb = sr.rng(root.fork('pgd').nextUint32());
  // rows `idx` of a row-major table of `width` columns: [B, width], or [B] for a scalar column
  const gather = (src: number[], width: number | null, idx: number[]): Tensor =>
    sr.tensor(Float64Array.from(idx.flatMap((i) => src.slice(i * (width ?? 1), (i + 1) * (width ?? 1)))), {
      shape: width === null ? [idx.length] : [idx.length, width],
      dtype,
    });
  const losses: number[] = [];
  for (let step = 0; step < s.gradientSteps; step++) {
    const idx = Array.from({ length: s.minibatch }, () => Math.floor(pick.uniform(0, rows)));
    const obs = gather(data.obs, n, idx);
    const action = gather(data.action, m, idx);
    const y = sr.noGrad(() => {
      const next = target.forward(gather(data.nextObs, n, idx), gather(data.nextAction, m, idx));
      const alive = gather(data.terminal, null, idx).neg().add(1);
      return gather(data.reward, null, idx).add(alive.mul(next).mul(s.discount));
    });
    q.zeroGrad();
    const value = q.forward(obs, action);
    const td = value.sub(y).square().mean();
    let loss = td;
    if (s.robustWeight > 0 && o.eps > 0) {
      const reg = criticSmoothnessPenalty(q, obs, action, value, false, {
        eps: o.eps,
        steps: s.robustSteps,
        stepSize: 0.2 * o.eps,
        ascent: 'sign',
        epsScale: o.epsScale ?? 'raw',
        generator: perturb,
      });
      loss = td.add(reg.penalty.mul(s.robustWeight));
    }
    loss.backward();
    opt.step();
    polyakUpdate(target, q, s.tau);
    if (step >= s.gradientSteps * 0.9) losses.push(td.item());
  }
  const params = q;
  return {
    critic: (obs, act) => params.forward(obs, act, true),
    finalTdLoss: losses.reduce((a, b) => a + b, 0) / Math.max(1, losses.length),
    transitions: rows,
  };
}
