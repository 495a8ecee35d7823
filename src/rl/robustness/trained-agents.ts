/**
 * Agent loaders for the run folders `sr2l train` writes (docs/trpo.md, src/rl/run):
 * the newest checkpoint's networks are rebuilt with the trainers' own classes
 * (checkpoint-agent.ts, which the dashboard's page shares). Only the networks are read (not
 * DDPG's replay buffer).
 *   trpo, trpo-sr                 GaussianMlpPolicy (policy.safetensors) + the sampler's
 *                                 observation normalizer from state.json when normalizeObs
 *   ddpg, ddpg-sr-a, ddpg-sr-c    DeterministicActor (actor.safetensors) and Critic
 *                                 (critic.safetensors): the `critic` attack works on these
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DDPG_ALGOS } from '../ddpg/config.js';
import { ALGOS as TRPO_ALGOS } from '../trpo/config.js';
import { checkpointDir, latestCheckpoint } from '../run/checkpoint.js';
import { readRunRecord } from '../run/train-run.js';
import {
  type AgentSettings,
  type CheckpointFiles,
  ddpgCheckpointAgent,
  trpoCheckpointAgent,
} from './checkpoint-agent.js';
import type { EvalAgent } from './policy.js';

/** The run's settings and its newest checkpoint folder, read from disk. */
async function newestCheckpoint(runDir: string): Promise<[AgentSettings, CheckpointFiles]> {
  const { config } = await readRunRecord(runDir);
  const it = await latestCheckpoint(runDir);
  if (it === null) throw new Error(`${runDir}: no checkpoint yet (checkpoints/latest.json is missing)`);
  const dir = checkpointDir(runDir, it);
  return [config as unknown as AgentSettings, { where: dir, read: (name) => readFile(join(dir, name)) }];
}

export async function loadTrpoAgent(runDir: string): Promise<EvalAgent> {
  return trpoCheckpointAgent(...(await newestCheckpoint(runDir)));
}

export async function loadDdpgAgent(runDir: string): Promise<EvalAgent> {
  return ddpgCheckpointAgent(...(await newestCheckpoint(runDir)));
}

/** The loaders of the algorithms `sr2l train` knows, by algo name. */
export const TRAINED_AGENT_LOADERS: ReadonlyMap<string, (runDir: string) => Promise<EvalAgent>> = new Map([
  ...TRPO_ALGOS.map((a) => [a, loadTrpoAgent] as const),
  ...DDPG_ALGOS.map((a) => [a, loadDdpgAgent] as const),
]);
