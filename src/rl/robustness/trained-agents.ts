/**
 * Agent loaders for the run folders `sr2l train` writes (docs/trpo.md, src/rl/run):
 * the newest checkpoint's networks are rebuilt with the trainers' own classes and read
 * with nn.loadModule. Only the networks are read (not DDPG's replay buffer).
 *   trpo, trpo-sr                 GaussianMlpPolicy (policy.safetensors) + the sampler's
 *                                 observation normalizer from state.json when normalizeObs
 *   ddpg, ddpg-sr-a, ddpg-sr-c    DeterministicActor (actor.safetensors) and Critic
 *                                 (critic.safetensors): the `critic` attack works on these
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeEnv } from '../../envs/index.js';
import type { RunningMeanStdState } from '../../envs/index.js';
import { loadModule } from '../../nn/node.js';
import { Rng } from '../../util/rng.js';
import { DDPG_ALGOS } from '../ddpg/config.js';
import { CHECKPOINT_FILES } from '../ddpg/ddpg.js';
import { Critic, DeterministicActor } from '../ddpg/networks.js';
import { GaussianMlpPolicy } from '../trpo/gaussian-policy.js';
import { ALGOS as TRPO_ALGOS } from '../trpo/config.js';
import { checkpointDir, latestCheckpoint } from '../run/checkpoint.js';
import { readRunRecord } from '../run/train-run.js';
import { observationNormalizer } from './normalizer.js';
import type { EvalAgent } from './policy.js';

async function newestCheckpoint(runDir: string): Promise<string> {
  const it = await latestCheckpoint(runDir);
  if (it === null) throw new Error(`${runDir}: no checkpoint yet (checkpoints/latest.json is missing)`);
  return checkpointDir(runDir, it);
}

async function envSpaces(id: string): Promise<{ obsDim: number; low: Float64Array; high: Float64Array }> {
  const env = await makeEnv(id);
  try {
    return { obsDim: env.observationSpace.shape[0]!, low: env.actionSpace.low, high: env.actionSpace.high };
  } finally {
    env.close();
  }
}

export async function loadTrpoAgent(runDir: string): Promise<EvalAgent> {
  const { config } = await readRunRecord(runDir);
  const c = config as unknown as {
    env: string;
    hidden: number[];
    dtype: 'float32' | 'float64';
    normalizeObs: boolean;
  };
  const dir = await newestCheckpoint(runDir);
  const { obsDim, low } = await envSpaces(c.env);
  const policy = new GaussianMlpPolicy({
    obsDim,
    actDim: low.length,
    hidden: c.hidden,
    dtype: c.dtype,
    rng: new Rng(0),
  });
  await loadModule(join(dir, 'policy.safetensors'), policy);
  let normalize: ReturnType<typeof observationNormalizer> | null = null;
  if (c.normalizeObs) {
    const state = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as {
      sampler: { normalizer: RunningMeanStdState | null };
    };
    const stats = state.sampler.normalizer;
    if (!stats) throw new Error(`${dir}/state.json: normalizeObs is set but the sampler saved no normalizer`);
    normalize = observationNormalizer(stats.mean, stats.var, c.dtype);
  }
  return {
    policy: {
      obsDim,
      actDim: low.length,
      dtype: c.dtype,
      mean: (obs) => policy.mean(normalize ? normalize(obs) : obs),
      logStd: policy.logStd,
    },
  };
}

export async function loadDdpgAgent(runDir: string): Promise<EvalAgent> {
  const { config } = await readRunRecord(runDir);
  const c = config as unknown as { env: string; hidden: number[]; dtype: 'float32' | 'float64' };
  const dir = await newestCheckpoint(runDir);
  const { obsDim, low, high } = await envSpaces(c.env);
  const net = { hidden: c.hidden, activation: 'relu' as const, dtype: c.dtype, rng: new Rng(0) };
  const actor = new DeterministicActor(obsDim, low, high, net);
  const critic = new Critic(obsDim, low.length, net);
  await loadModule(join(dir, CHECKPOINT_FILES.actor), actor);
  await loadModule(join(dir, CHECKPOINT_FILES.critic), critic);
  return {
    policy: { obsDim, actDim: low.length, dtype: c.dtype, mean: (obs) => actor.forward(obs) },
    critic: (obs, act) => critic.forward(obs, act),
  };
}

/** The loaders of the algorithms `sr2l train` knows, by algo name. */
export const TRAINED_AGENT_LOADERS: ReadonlyMap<string, (runDir: string) => Promise<EvalAgent>> = new Map([
  ...TRPO_ALGOS.map((a) => [a, loadTrpoAgent] as const),
  ...DDPG_ALGOS.map((a) => [a, loadDdpgAgent] as const),
]);
