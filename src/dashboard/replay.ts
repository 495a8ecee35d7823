/**
 * /api/replay: the server's replay of an evaluation episode (replay-episodes.ts) with the
 * agent of a chosen checkpoint loaded from disk as `sr2l eval --iteration` loads it. The page computes the same episodes itself
 * (app/page-replay.ts); this endpoint stays as the cross-check the browser test compares with.
 */
import { readRunIdentity } from '../experiments/run-files.js';
import { type EvalAgent, loadAgent, noCheckpointOf } from '../rl/robustness/index.js';
import { checkpointsOnDisk, latestCheckpoint } from '../rl/run/checkpoint.js';
import type { ReplayResponse } from './api-types.js';
import {
  checkReplayAgent,
  checkReplayOptions,
  type ReplayOptions,
  replayEpisodes,
} from './replay-episodes.js';
import { HttpError, resolveInside } from './safe-path.js';

const badRequest = (f: () => void): void => {
  try {
    f();
  } catch (e) {
    throw new HttpError(400, (e as Error).message);
  }
};

/**
 * Replays episode `episode` of run `run`'s checkpoint `iteration` (default the newest) clean
 * and under `attack` at ε (the same numbers as sr2l eval --iteration).
 */
export async function replay(root: string, run: string, opts: ReplayOptions): Promise<ReplayResponse> {
  const dir = await resolveInside(root, run);
  // the options are checked before the run is read, with the run's seed filled in after
  badRequest(() => checkReplayOptions({ ...opts, seed: opts.seed ?? 0 }, 0));
  if (opts.iteration !== undefined) {
    const onDisk = await checkpointsOnDisk(dir);
    if (!onDisk.includes(opts.iteration))
      throw new HttpError(400, noCheckpointOf(run, opts.iteration, onDisk));
  }
  let identity;
  let agent: EvalAgent;
  let iteration: number | null;
  try {
    identity = await readRunIdentity(dir);
    iteration = opts.iteration ?? (await latestCheckpoint(dir));
    agent = await loadAgent(dir, identity.algo, opts.iteration);
  } catch (e) {
    throw new HttpError(422, `${run}: ${(e as Error).message.replaceAll(dir, run)}`);
  }
  let settings!: ReturnType<typeof checkReplayOptions>;
  badRequest(() => {
    settings = checkReplayOptions(opts, identity.seed);
    checkReplayAgent(agent, settings, run);
  });
  return replayEpisodes(agent, run, iteration, identity.env, settings, 'server');
}
