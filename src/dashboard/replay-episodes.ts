/**
 * One evaluation episode, clean and under attack, step by step, for the replay view: the
 * actions, the perturbation's size, the rewards and (MuJoCo environments) every geom's pose
 * per step. The episodes run exactly as `sr2l eval` runs them (rl/robustness: reset seeds
 * seed·10⁴ + i, the attack generator, the lockstep batch of `episodes` episodes, since the
 * attack's random draws cover the whole batch), with the environments wrapped to record what
 * episode i saw; so the replayed return is the one eval reports. No file or Node access: the
 * dashboard's page runs this with the agent it fetched (replay.ts is the server's cross-check).
 */
import * as sr from '../autograd/index.js';
import type { Env } from '../envs/core/env.js';
import { makeEnv } from '../envs/registry.js';
import {
  type AttackName,
  type PgdSettings,
  checkAttackName,
  checkPgdSettings,
  perturb,
} from '../rl/robustness/attacks.js';
import { columnStd } from '../rl/robustness/column-std.js';
import type { EvalAgent } from '../rl/robustness/policy.js';
import { runEpisodes } from '../rl/robustness/rollout.js';
import { EPS_SCALES, type EpsScale } from '../rl/smoothness/scaled-ball.js';
import { Rng } from '../util/rng.js';
import type { GeomInfo, ReplayResponse, ReplayTrajectory } from './api-types.js';

export interface ReplayOptions {
  /** the checkpoint (sr2l eval --iteration); default the newest */
  iteration?: number;
  attack: string;
  eps: number;
  /** the evaluation seed (sr2l eval --seed; default the run's seed) */
  seed?: number;
  /** which episode of the batch */
  episode: number;
  /** the batch size, sr2l eval --episodes */
  episodes: number;
  stochastic?: boolean;
  /** sr2l eval --eps-scale: raw units, or per dimension in units of the clean observations' std */
  epsScale?: EpsScale;
  pgd?: Partial<PgdSettings>;
}

/** Replays are computed on request: a bound on the batch keeps one request from running for long. */
export const MAX_EPISODES = 100;

/** The options with their defaults, checked; a RangeError says which one is wrong. */
export interface ReplaySettings {
  /** undefined: the newest */
  iteration: number | undefined;
  attack: AttackName;
  eps: number;
  seed: number;
  episode: number;
  episodes: number;
  stochastic: boolean;
  epsScale: EpsScale;
  pgd: PgdSettings;
}

/** Checks the options that need no agent; `runSeed` is the default seed. */
export function checkReplayOptions(opts: ReplayOptions, runSeed: number): ReplaySettings {
  if (opts.iteration !== undefined && !(Number.isInteger(opts.iteration) && opts.iteration >= 0))
    throw new RangeError(`iteration must be an integer ≥ 0, got ${opts.iteration}`);
  const attack = checkAttackName(opts.attack);
  const pgd = checkPgdSettings(opts.pgd ?? {});
  if (!(Number.isFinite(opts.eps) && opts.eps >= 0))
    throw new RangeError(`eps must be a number ≥ 0, got ${opts.eps}`);
  if (!(Number.isInteger(opts.episodes) && opts.episodes >= 1 && opts.episodes <= MAX_EPISODES))
    throw new RangeError(`episodes must be an integer in 1..${MAX_EPISODES}, got ${opts.episodes}`);
  if (!(Number.isInteger(opts.episode) && opts.episode >= 0 && opts.episode < opts.episodes))
    throw new RangeError(`episode must be an integer in 0..${opts.episodes - 1}, got ${opts.episode}`);
  const seed = opts.seed ?? runSeed;
  if (!(Number.isInteger(seed) && seed >= 0))
    throw new RangeError(`seed must be an integer ≥ 0, got ${seed}`);
  const epsScale = opts.epsScale ?? 'raw';
  if (!EPS_SCALES.includes(epsScale))
    throw new RangeError(`epsScale must be one of ${EPS_SCALES.join(', ')}, got '${epsScale}'`);
  return {
    iteration: opts.iteration,
    attack,
    eps: opts.eps,
    seed,
    episode: opts.episode,
    episodes: opts.episodes,
    stochastic: opts.stochastic ?? false,
    epsScale,
    pgd,
  };
}

/** Checks what the settings need of the agent (a critic, a Gaussian policy); `run` names it. */
export function checkReplayAgent(agent: EvalAgent, s: ReplaySettings, run: string): void {
  if (s.attack === 'critic' && !agent.critic)
    throw new RangeError(`${run}: the 'critic' attack needs a critic (DDPG)`);
  if (s.stochastic && !agent.policy.logStd)
    throw new RangeError(`${run}: stochastic replay needs a Gaussian policy`);
}

/** The MuJoCo views the recorder reads (absent on classic-control environments). */
interface MujocoLike {
  model: {
    ngeom: number;
    geom_type: ArrayLike<number>;
    geom_size: ArrayLike<number>;
    geom_rgba: ArrayLike<number>;
  };
  data: { geom_xpos: ArrayLike<number>; geom_xmat: ArrayLike<number> };
}
function mujocoOf(env: Env): MujocoLike | null {
  // wrappers (time limit, normalization) hold the simulator as `unwrapped`
  const inner = (env as { unwrapped?: Env }).unwrapped ?? env;
  return 'model' in inner && 'data' in inner ? (inner as unknown as MujocoLike) : null;
}

/** Every geom's position (3) and rotation matrix (9), concatenated. */
function pose(m: MujocoLike): number[] {
  const n = m.model.ngeom;
  const out = new Array<number>(n * 12);
  const p = m.data.geom_xpos;
  const r = m.data.geom_xmat;
  for (let g = 0; g < n; g++) {
    for (let j = 0; j < 3; j++) out[g * 12 + j] = p[g * 3 + j]!;
    for (let j = 0; j < 9; j++) out[g * 12 + 3 + j] = r[g * 9 + j]!;
  }
  return out;
}

function geomsOf(env: Env): GeomInfo[] | null {
  const m = mujocoOf(env);
  if (!m) return null;
  return Array.from({ length: m.model.ngeom }, (_, g) => ({
    type: m.model.geom_type[g]!,
    size: [0, 1, 2].map((j) => m.model.geom_size[g * 3 + j]!),
    rgba: [0, 1, 2, 3].map((j) => m.model.geom_rgba[g * 4 + j]!),
  }));
}

/**
 * Wraps `env` to note when its episode ends (`onEnd`) and, given a trajectory, to record
 * every step into it.
 */
function recorded(env: Env, t: ReplayTrajectory | null, onEnd: () => void): Env {
  const m = t?.frames ? mujocoOf(env) : null;
  return new Proxy(env, {
    get(target, prop) {
      if (prop === 'reset')
        return (o?: Parameters<Env['reset']>[0]) => {
          const r = target.reset(o);
          if (m) t!.frames!.push(pose(m));
          return r;
        };
      if (prop === 'step')
        return (action: ArrayLike<number>) => {
          const s = target.step(action);
          if (t) {
            t.actions.push(Array.from(action));
            t.rewards.push(s.reward);
            t.return += s.reward;
            t.length++;
            if (m) t.frames!.push(pose(m));
          }
          if (s.terminated || s.truncated) onEnd();
          return s;
        };
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

interface BatchSettings {
  eps: number;
  seed: number;
  episode: number;
  episodes: number;
  stochastic: boolean;
  pgd: PgdSettings;
  /** the ball's per-dimension scale (obs-std), or null for raw units */
  scale: sr.Tensor | null;
}

async function runBatch(
  agent: EvalAgent,
  envId: string,
  attack: AttackName,
  o: BatchSettings,
): Promise<{
  trajectory: ReplayTrajectory;
  geoms: GeomInfo[] | null;
  returns: number[];
  states: Float64Array;
}> {
  const envs: Env[] = [];
  try {
    for (let i = 0; i < o.episodes; i++) envs.push(await makeEnv(envId));
    const t: ReplayTrajectory = {
      return: 0,
      length: 0,
      actions: [],
      rewards: [],
      perturbation: [],
      frames: [],
    };
    if (!mujocoOf(envs[o.episode]!)) t.frames = null;
    const ended = new Array<boolean>(o.episodes).fill(false);
    const wrapped = envs.map((e, i) => recorded(e, i === o.episode ? t : null, () => (ended[i] = true)));
    const sizes: Promise<number>[] = [];
    const seeds = envs.map((_, i) => o.seed * 10_000 + i);
    const gen = sr.rng(o.seed).fork(`attack/${attack}/${o.eps}`);
    const setup = { agent, pgd: o.pgd, scale: o.scale };
    const r = await runEpisodes({
      envs: wrapped,
      seeds,
      policy: agent.policy,
      perturb:
        attack === 'none'
          ? null
          : (states) => {
              const p = perturb(attack, states, o.eps, setup, gen);
              if (!ended[o.episode]) {
                // runEpisodes batches the running episodes in index order: episode i's row
                const row = ended.slice(0, o.episode).filter((x) => !x).length;
                const n = states.shape[1]!;
                sizes.push(p ? p.unit.data().then((u) => linf(u, row * n, n)) : Promise.resolve(0));
              }
              return p;
            },
      actionNoise: o.stochastic ? seeds.map((s) => new Rng(s).fork('action-noise')) : null,
      // eval measures the obs-std ball's scale on its clean batch's states
      collectStates: attack === 'none',
      eps: o.eps,
    });
    t.perturbation = attack === 'none' ? t.rewards.map(() => 0) : await Promise.all(sizes);
    return { trajectory: t, geoms: geomsOf(envs[o.episode]!), returns: r.returns, states: r.states };
  } finally {
    for (const e of envs) e.close();
  }
}

function linf(u: ArrayLike<number>, from: number, n: number): number {
  let m = 0;
  for (let j = 0; j < n; j++) m = Math.max(m, Math.abs(u[from + j]!));
  return m;
}

/**
 * Runs episode `s.episode` of environment `env` clean and under the attack (the same numbers
 * as sr2l eval); `agent` is checkpoint `iteration`'s and `computedBy` says where the episodes
 * ran (the page's backend, or the server).
 */
export async function replayEpisodes(
  agent: EvalAgent,
  run: string,
  iteration: number | null,
  env: string,
  s: ReplaySettings,
  computedBy: string,
): Promise<ReplayResponse> {
  const o: BatchSettings = { ...s, scale: null };
  const clean = await runBatch(agent, env, 'none', { ...o, eps: 0 });
  const n = agent.policy.obsDim;
  if (s.epsScale === 'obs-std')
    o.scale = sr.tensor(columnStd(clean.states, n), { shape: [n], dtype: agent.policy.dtype });
  const attacked = await runBatch(agent, env, s.attack, o);
  return {
    run,
    iteration,
    env,
    attack: s.attack,
    eps: s.eps,
    epsScale: s.epsScale,
    seed: s.seed,
    episode: s.episode,
    episodes: s.episodes,
    dt: await envDt(env),
    geoms: clean.geoms,
    clean: clean.trajectory,
    attacked: attacked.trajectory,
    computedBy,
  };
}

async function envDt(id: string): Promise<number> {
  const env = await makeEnv(id);
  try {
    return env.dt;
  } finally {
    env.close();
  }
}
