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
 * `checkpointEvery` setting) or it is one of the newest two, and otherwise removed.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CHECKPOINTS,
  checkpointIterations,
  checkpointName,
  LATEST,
  latestIteration,
} from './checkpoint-layout.js';
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
 * removes older ones except the previous (resume falls back to it when the newest turns out
 * corrupt) and those whose iteration is a multiple of `keepEvery`. Leftover temporary folders
 * of killed writers go too: the run lock (run-lock.ts) makes this process the only writer.
 */
export async function saveCheckpoint(runDir: string, trainer: RunTrainer, keepEvery = 1): Promise<string> {
  const final = checkpointDir(runDir, trainer.iteration);
  const tmp = `${final}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await trainer.save(tmp, join(runDir, CHECKPOINTS));
  await rm(final, { recursive: true, force: true });
  await rename(tmp, final);
  await writeFileAtomic(
    join(runDir, CHECKPOINTS, LATEST),
    text(JSON.stringify({ iteration: trainer.iteration, dir: final.slice(runDir.length + 1) })),
  );
  await pruneCheckpoints(runDir, trainer.iteration, keepEvery);
  return final;
}

/**
 * Once checkpoint `current` is written: removes the older ones except the one before it (resume
 * falls back to it when the newest turns out corrupt) and those whose iteration is a multiple
 * of `keepEvery`, and leftover temporary folders of killed writers (the run lock, run-lock.ts,
 * makes this process the only writer). A population calls it once every member has written
 * `current`, with keepEvery 1 in between, so a kill in between leaves an iteration all hold.
 */
export async function pruneCheckpoints(runDir: string, current: number, keepEvery: number): Promise<void> {
  const folders = await readdir(join(runDir, CHECKPOINTS));
  const older = checkpointIterations(folders).filter((i) => i < current);
  for (const i of older.slice(1))
    if (i % keepEvery !== 0) await rm(checkpointDir(runDir, i), { recursive: true, force: true });
  for (const f of folders)
    if (/^iter-\d+\.tmp-\d+$/.test(f))
      await rm(join(runDir, CHECKPOINTS, f), { recursive: true, force: true });
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

/** The iterations of the run's complete checkpoint folders, newest first ([] when it has none). */
export async function checkpointsOnDisk(runDir: string): Promise<number[]> {
  const dir = join(runDir, CHECKPOINTS);
  return existsSync(dir) ? checkpointIterations(await readdir(dir)) : [];
}

/** Restores `trainer` from checkpoint `iteration` of a run folder. */
export async function loadCheckpoint(runDir: string, trainer: RunTrainer, iteration: number): Promise<void> {
  const dir = checkpointDir(runDir, iteration);
  if (!existsSync(dir)) throw new Error(`checkpoint ${dir} does not exist`);
  await trainer.load(dir, join(runDir, CHECKPOINTS));
}

/**
 * Resumes a run from the newest checkpoint that loads: one a node killed mid-write left
 * truncated, or a folder missing a file, is passed over with a message naming it and the
 * checkpoint resumed from. The trainer in `slot` may have loaded part of a bad checkpoint,
 * so each further try gets a fresh one from `fresh`. Returns the iteration resumed from.
 */
export async function resumeNewestValid(
  runDir: string,
  slot: { trainer: RunTrainer },
  fresh: () => Promise<RunTrainer>,
  warn: (message: string) => void,
): Promise<number> {
  const unit = { value: slot.trainer };
  try {
    return await restoreNewestCommon(
      [runDir],
      unit,
      (t) => [t],
      fresh,
      (t) => t.close(),
      warn,
    );
  } finally {
    slot.trainer = unit.value;
  }
}

/**
 * The same for several run folders trained together (a population's members): the newest
 * iteration that every folder holds a loadable checkpoint of, member k of `trainersOf(unit)`
 * loading from runDirs[k]. A failed try closes the unit and builds a fresh one.
 */
export async function restoreNewestCommon<U>(
  runDirs: readonly string[],
  slot: { value: U },
  trainersOf: (unit: U) => readonly RunTrainer[],
  fresh: () => Promise<U>,
  close: (unit: U) => void,
  warn: (message: string) => void,
): Promise<number> {
  const held = await Promise.all(
    runDirs.map(async (dir) => {
      let named: number | null = null;
      try {
        named = await latestCheckpoint(dir);
      } catch (e) {
        warn(`sr2l: ${(e as Error).message}; looking for the newest checkpoint folder instead`);
      }
      const folders = existsSync(join(dir, CHECKPOINTS)) ? await readdir(join(dir, CHECKPOINTS)) : [];
      return checkpointIterations(folders).filter((i) => named === null || i <= named);
    }),
  );
  const candidates = held[0]!.filter((i) => held.every((h) => h.includes(i)));
  const passed: string[] = [];
  for (const iteration of candidates) {
    if (passed.length) {
      close(slot.value);
      slot.value = await fresh();
    }
    const trainers = trainersOf(slot.value);
    const bad = await firstUnloadable(runDirs, trainers, iteration);
    if (bad) {
      passed.push(bad);
      continue;
    }
    if (passed.length) {
      const where = runDirs.length === 1 ? checkpointDir(runDirs[0]!, iteration) : 'in every member folder';
      warn(`sr2l: ${passed.join('; ')}; resuming from iteration ${iteration} (${where})`);
    }
    return iteration;
  }
  throw new Error(
    passed.length
      ? `${runDirs.join(', ')}: no usable checkpoint (${passed.join('; ')})`
      : `--resume: ${runDirs.join(', ')} has no checkpoint yet`,
  );
}

/** Loads checkpoint `iteration` of each folder into its trainer; the first failure, described, or null. */
async function firstUnloadable(
  runDirs: readonly string[],
  trainers: readonly RunTrainer[],
  iteration: number,
): Promise<string | null> {
  for (const [k, dir] of runDirs.entries()) {
    try {
      await loadCheckpoint(dir, trainers[k]!, iteration);
    } catch (e) {
      return `${checkpointDir(dir, iteration)} is unusable: ${(e as Error).message}`;
    }
  }
  return null;
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
