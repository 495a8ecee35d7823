/**
 * The evaluation agent of a `sr2l train` checkpoint, built from the checkpoint folder's
 * files as bytes: the trainers' own networks (GaussianMlpPolicy; DeterministicActor and
 * Critic) with their parameters, and TRPO's observation normalizer from state.json. No file
 * access here: Node reads the folder (trained-agents.ts), the dashboard's page fetches it.
 */
import { makeEnv } from '../../envs/index.js';
import type { RunningMeanStdState } from '../../envs/index.js';
import type { FloatDType } from '../../kernels/dtype.js';
import type { Module } from '../../nn/module.js';
import { decodeSafetensors } from '../../nn/safetensors.js';
import { Rng } from '../../util/rng.js';
import { CHECKPOINT_FILES } from '../ddpg/checkpoint-files.js';
import { Critic, DeterministicActor } from '../ddpg/networks.js';
import { GaussianMlpPolicy } from '../trpo/gaussian-policy.js';
import { observationNormalizer } from './normalizer.js';
import type { EvalAgent } from './policy.js';

/** One checkpoint folder's files by name; `where` names the folder in errors. */
export interface CheckpointFiles {
  readonly where: string;
  read(name: string): Promise<Uint8Array>;
}

/** The settings (from the run's config.json) the networks are rebuilt with. */
export interface AgentSettings {
  env: string;
  hidden: number[];
  dtype: FloatDType;
  /** TRPO: observations normalized by the sampler's running statistics */
  normalizeObs?: boolean;
}

async function loadInto(module: Module, files: CheckpointFiles, name: string): Promise<void> {
  const source = `${files.where}/${name}`;
  const backend = module.parameters()[0]?.backend;
  const { tensors } = decodeSafetensors(await files.read(name), { name: source, backend });
  module.loadStateDict(tensors, { source });
}

async function envSpaces(id: string): Promise<{ obsDim: number; low: Float64Array; high: Float64Array }> {
  const env = await makeEnv(id);
  try {
    return { obsDim: env.observationSpace.shape[0]!, low: env.actionSpace.low, high: env.actionSpace.high };
  } finally {
    env.close();
  }
}

export async function trpoCheckpointAgent(c: AgentSettings, files: CheckpointFiles): Promise<EvalAgent> {
  const { obsDim, low } = await envSpaces(c.env);
  const policy = new GaussianMlpPolicy({
    obsDim,
    actDim: low.length,
    hidden: c.hidden,
    dtype: c.dtype,
    rng: new Rng(0),
  });
  await loadInto(policy, files, 'policy.safetensors');
  let normalize: ReturnType<typeof observationNormalizer> | null = null;
  if (c.normalizeObs) {
    const state = JSON.parse(new TextDecoder().decode(await files.read('state.json'))) as {
      sampler: { normalizer: RunningMeanStdState | null };
    };
    const stats = state.sampler.normalizer;
    if (!stats)
      throw new Error(`${files.where}/state.json: normalizeObs is set but the sampler saved no normalizer`);
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

export async function ddpgCheckpointAgent(c: AgentSettings, files: CheckpointFiles): Promise<EvalAgent> {
  const { obsDim, low, high } = await envSpaces(c.env);
  const net = { hidden: c.hidden, activation: 'relu' as const, dtype: c.dtype, rng: new Rng(0) };
  const actor = new DeterministicActor(obsDim, low, high, net);
  const critic = new Critic(obsDim, low.length, net);
  await loadInto(actor, files, CHECKPOINT_FILES.actor);
  await loadInto(critic, files, CHECKPOINT_FILES.critic);
  return {
    policy: { obsDim, actDim: low.length, dtype: c.dtype, mean: (obs) => actor.forward(obs) },
    critic: (obs, act) => critic.forward(obs, act),
  };
}
