/**
 * Checkpoints of a run: `checkpoints/iter-000010/` holds the trainer's files; for TRPO
 *   policy.safetensors     the policy's parameters (nn.saveModule)
 *   baseline*.safetensors  the baseline (and its optimizer / RNG state for 'mlp')
 *   batch.safetensors      the last policy step's inputs (for `sr2l inspect`)
 *   state.json             iteration, env steps, sampler snapshot (episode seed and
 *                          actions, observation, normalizer statistics, RNG states) and
 *                          the perturbation RNG state
 * for DDPG the networks, optimizers and state.json, with the replay buffer appended to
 * `checkpoints/replay/` (ddpg/replay-segments.ts). The folder is written under a temporary name
 * and renamed into place, then `checkpoints/latest.json` is replaced atomically: a crash
 * leaves the previous checkpoint intact and never a partial one.
 *
 * The run loop checkpoints every iteration, so a killed run loses at most the iteration in
 * progress; a checkpoint is kept when its iteration is a multiple of `keepEvery` (the
 * `checkpointEvery` setting) and otherwise removed once the next one is in place.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CHECKPOINTS, checkpointName, LATEST, latestIteration } from './checkpoint-layout.js';
import type { Tensor } from '../../autograd/index.js';
import { loadModule, loadSafetensors, saveModule, saveSafetensors } from '../../nn/node.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import type { TrainerState, TrpoTrainer } from '../trpo/trpo.js';
import type { RunTrainer } from './algorithms.js';

export { CHECKPOINTS };

export function checkpointDir(runDir: string, iteration: number): string {
  return join(runDir, CHECKPOINTS, checkpointName(iteration));
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/**
 * Writes `trainer`'s checkpoint for its current iteration (the folder protocol above), then
 * removes the previous one unless its iteration is a multiple of `keepEvery`.
 */
export async function saveCheckpoint(runDir: string, trainer: RunTrainer, keepEvery = 1): Promise<string> {
  const final = checkpointDir(runDir, trainer.iteration);
  const tmp = `${final}.tmp-${process.pid}`;
  const previous = await latestCheckpoint(runDir);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await trainer.save(tmp, join(runDir, CHECKPOINTS));
  await rm(final, { recursive: true, force: true });
  await rename(tmp, final);
  await writeFileAtomic(
    join(runDir, CHECKPOINTS, LATEST),
    text(JSON.stringify({ iteration: trainer.iteration, dir: final.slice(runDir.length + 1) })),
  );
  if (previous !== null && previous !== trainer.iteration && previous % keepEvery !== 0)
    await rm(checkpointDir(runDir, previous), { recursive: true, force: true });
  return final;
}

/** TRPO's checkpoint contents, written into the folder `dir`. */
export async function saveTrpoCheckpoint(dir: string, trainer: TrpoTrainer): Promise<void> {
  const meta = { iteration: String(trainer.iteration), algo: trainer.config.algo, env: trainer.config.env };
  await saveModule(join(dir, 'policy.safetensors'), trainer.policy, meta);
  await trainer.baseline.save(join(dir, 'baseline'));
  const inputs = trainer.lastStepInputs;
  if (inputs) {
    const tensors: Record<string, Tensor> = {
      obs: inputs.obs,
      actions: inputs.actions,
      advantages: inputs.advantages,
      oldLogLik: inputs.oldLogLik,
    };
    if (inputs.perturbedObs) tensors.perturbedObs = inputs.perturbedObs;
    await saveSafetensors(join(dir, 'batch.safetensors'), tensors, meta);
  }
  await writeFileAtomic(join(dir, 'state.json'), text(JSON.stringify(trainer.getState())));
}

/** The iteration of the newest complete checkpoint, or null. */
export async function latestCheckpoint(runDir: string): Promise<number | null> {
  const path = join(runDir, CHECKPOINTS, LATEST);
  if (!existsSync(path)) return null;
  return latestIteration(await readFile(path, 'utf8'), path);
}

/** Restores `trainer` from checkpoint `iteration` of a run folder. */
export async function loadCheckpoint(runDir: string, trainer: RunTrainer, iteration: number): Promise<void> {
  const dir = checkpointDir(runDir, iteration);
  if (!existsSync(dir)) throw new Error(`checkpoint ${dir} does not exist`);
  await trainer.load(dir, join(runDir, CHECKPOINTS));
}

/** Restores policy, baseline and trainer state from the checkpoint folder `dir`. */
export async function loadTrpoCheckpoint(dir: string, trainer: TrpoTrainer): Promise<void> {
  await loadModule(join(dir, 'policy.safetensors'), trainer.policy);
  await trainer.baseline.load(join(dir, 'baseline'));
  const statePath = join(dir, 'state.json');
  let state: TrainerState;
  try {
    state = JSON.parse(await readFile(statePath, 'utf8')) as TrainerState;
  } catch (e) {
    throw new Error(`${statePath}: unreadable trainer state (${(e as Error).message})`, { cause: e });
  }
  trainer.setState(state);
}

/** The saved policy-step inputs of checkpoint `iteration` (for inspect). */
export async function loadStepInputs(runDir: string, iteration: number): Promise<Map<string, Tensor>> {
  const path = join(checkpointDir(runDir, iteration), 'batch.safetensors');
  if (!existsSync(path)) throw new Error(`${path} does not exist (was checkpoint ${iteration} written?)`);
  return (await loadSafetensors(path)).tensors;
}
