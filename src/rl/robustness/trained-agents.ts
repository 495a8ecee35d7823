/**
 * Agent loaders for the run folders `sr2l train` writes (docs/trpo.md, src/rl/run):
 * the newest checkpoint's (or a chosen iteration's) networks are rebuilt with the trainers' own classes
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
import { checkpointDir, checkpointsOnDisk, latestCheckpoint } from '../run/checkpoint.js';
import { readRunRecord } from '../run/train-run.js';
import {
  type AgentSettings,
  type CheckpointFiles,
  ddpgCheckpointAgent,
  trpoCheckpointAgent,
} from './checkpoint-agent.js';
import type { EvalAgent } from './policy.js';

/**
 * The run's settings and the folder of checkpoint `iteration` (default the newest, as
 * latest.json names it), read from disk; a missing iteration's error lists those on disk.
 */
async function checkpointOf(runDir: string, iteration?: number): Promise<[AgentSettings, CheckpointFiles]> {
  const { config } = await readRunRecord(runDir);
  const it = iteration ?? (await latestCheckpoint(runDir));
  if (it === null) throw new Error(`${runDir}: no checkpoint yet (checkpoints/latest.json is missing)`);
  if (iteration !== undefined) {
    const onDisk = await checkpointsOnDisk(runDir);
    if (!onDisk.includes(iteration)) throw new Error(noCheckpointOf(runDir, iteration, onDisk));
  }
  const dir = checkpointDir(runDir, it);
  return [config as unknown as AgentSettings, { where: dir, read: (name) => readFile(join(dir, name)) }];
}

/** The error of a checkpoint iteration that is not on disk, naming those that are. */
export function noCheckpointOf(runDir: string, iteration: number, onDisk: readonly number[]): string {
  const have = onDisk.length
    ? `its checkpoints are of iterations ${[...onDisk].reverse().join(', ')}`
    : 'it has no checkpoint folders';
  return `${runDir}: no checkpoint of iteration ${iteration}; ${have}`;
}

/** TRPO and TRPO-SR: checkpoint `iteration`'s agent (default the newest). */
export async function loadTrpoAgent(runDir: string, iteration?: number): Promise<EvalAgent> {
  return trpoCheckpointAgent(...(await checkpointOf(runDir, iteration)));
}

/** The DDPG family: checkpoint `iteration`'s agent (default the newest). */
export async function loadDdpgAgent(runDir: string, iteration?: number): Promise<EvalAgent> {
  return ddpgCheckpointAgent(...(await checkpointOf(runDir, iteration)));
}

/** The loaders of the algorithms `sr2l train` knows, by algo name. */
export const TRAINED_AGENT_LOADERS: ReadonlyMap<
  string,
  (runDir: string, iteration?: number) => Promise<EvalAgent>
> = new Map([
  ...TRPO_ALGOS.map((a) => [a, loadTrpoAgent] as const),
  ...DDPG_ALGOS.map((a) => [a, loadDdpgAgent] as const),
]);
