/**
 * /api/replay: the server's replay of an evaluation episode (replay-episodes.ts) with the
 * agent loaded from disk as `sr2l eval` loads it. The page computes the same episodes itself
 * (app/page-replay.ts); this endpoint stays as the cross-check the browser test compares with.
 */
import { readRunIdentity } from '../experiments/run-files.js';
import { type EvalAgent, loadAgent } from '../rl/robustness/index.js';
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

/** Replays episode `episode` of run `run` clean and under `attack` at ε (the same numbers as sr2l eval). */
export async function replay(root: string, run: string, opts: ReplayOptions): Promise<ReplayResponse> {
  const dir = await resolveInside(root, run);
  // the options are checked before the run is read, with the run's seed filled in after
  badRequest(() => checkReplayOptions({ ...opts, seed: opts.seed ?? 0 }, 0));
  let identity;
  let agent: EvalAgent;
  try {
    identity = await readRunIdentity(dir);
    agent = await loadAgent(dir, identity.algo);
  } catch (e) {
    throw new HttpError(422, `${run}: ${(e as Error).message.replaceAll(dir, run)}`);
  }
  let settings!: ReturnType<typeof checkReplayOptions>;
  badRequest(() => {
    settings = checkReplayOptions(opts, identity.seed);
    checkReplayAgent(agent, settings, run);
  });
  return replayEpisodes(agent, run, identity.env, settings, 'server');
}
