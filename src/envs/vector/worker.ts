/**
 * Worker-thread side of `WorkerVectorEnv`: loads MuJoCo itself, builds a `SyncVectorEnv`
 * over its block of copies, then serves requests posted in shared memory: block in
 * `Atomics.wait` until the request sequence moves, run the command, write the results
 * into its slices, publish the done sequence and notify.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { VectorStepResult } from './vector-env.js';
import type { WorkerInit, WorkerMessage } from './protocol.js';
import {
  COMMAND,
  CONTROL_STRIDE,
  Command,
  CopyOp,
  DONE_SEQ,
  REQ_SEQ,
  STATUS,
  SharedBuffers,
  Status,
} from './shared-buffers.js';
import { makeSyncVectorEnv } from './sync-vector-env.js';
import type { StepInfo } from '../core/env.js';

const init = workerData as WorkerInit;
const port = parentPort!;
const post = (m: WorkerMessage) => port.postMessage(m);
const shared = new SharedBuffers(init.layout, init.buffer);
const { obsDim, actDim, infoKeys } = init.layout;
const keyIndex = new Map(infoKeys.map((k, i) => [k, i]));
const base = init.worker * CONTROL_STRIDE;

const venv = await makeSyncVectorEnv(init.id, {
  numEnvs: init.count,
  envOptions: init.envOptions,
  indexOffset: init.start,
}).catch((e: unknown) => {
  post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  return null;
});

/** Copy i's info into its row of the shared table. */
function writeInfo(i: number, info: StepInfo): void {
  const k = infoKeys.length;
  const row = i * k;
  shared.infoSet.fill(0, row, row + k);
  for (const key in info) {
    const idx = keyIndex.get(key);
    if (idx === undefined)
      throw new Error(`info key '${key}' is not in the shared table (${infoKeys.join(', ')})`);
    shared.info[row + idx] = info[key]!;
    shared.infoSet[row + idx] = 1;
  }
}

function writeInfos(infos: StepInfo[]): void {
  infos.forEach((info, j) => writeInfo(init.start + j, info));
}

/**
 * An Apply round: each copy of the block resets (with its seed) or steps (with its action
 * row) or idles, on its own; no auto-reset (the caller owns its episodes).
 */
function applyOps(envs: VectorEnvCopies): void {
  for (let j = 0; j < init.count; j++) {
    const i = init.start + j;
    const op = shared.ops[i];
    if (op === CopyOp.Reset) {
      const seed = shared.copySeeds[i]!;
      const r = envs[j]!.reset(Number.isNaN(seed) ? {} : { seed });
      shared.obs.set(r.obs, i * obsDim);
      writeInfo(i, r.info);
    } else if (op === CopyOp.Step) {
      const r = envs[j]!.step(shared.actions.subarray(i * actDim, (i + 1) * actDim));
      shared.obs.set(r.obs, i * obsDim);
      shared.rewards[i] = r.reward;
      shared.terminated[i] = r.terminated ? 1 : 0;
      shared.truncated[i] = r.truncated ? 1 : 0;
      shared.hasFinal[i] = 0;
      writeInfo(i, r.info);
    }
  }
}
type VectorEnvCopies = NonNullable<typeof venv>['envs'];

function writeStep(r: VectorStepResult): void {
  const s = init.start;
  shared.obs.set(r.obs, s * obsDim);
  shared.rewards.set(r.rewards, s);
  shared.terminated.set(r.terminated, s);
  shared.truncated.set(r.truncated, s);
  r.finalObs.forEach((f, j) => {
    shared.hasFinal[s + j] = f ? 1 : 0;
    if (f) shared.finalObs.set(f, (s + j) * obsDim);
  });
  writeInfos(r.infos);
}

if (venv !== null) {
  post({ type: 'ready' });
  const c = shared.control;
  let seen = 0; // the request sequence starts at 0; a request may already be waiting
  for (;;) {
    Atomics.wait(c, base + REQ_SEQ, seen);
    seen = Atomics.load(c, base + REQ_SEQ);
    const cmd = Atomics.load(c, base + COMMAND);
    let status: number = Status.Ok;
    try {
      if (cmd === Command.Reset) {
        const seed = shared.seeds[init.worker]!;
        const r = venv.resetSync(Number.isNaN(seed) ? undefined : seed);
        shared.obs.set(r.obs, init.start * obsDim);
        writeInfos(r.infos);
      } else if (cmd === Command.Step) {
        writeStep(
          venv.stepSync(shared.actions.subarray(init.start * actDim, (init.start + init.count) * actDim)),
        );
      } else if (cmd === Command.Apply) {
        applyOps(venv.envs);
      } else if (cmd === Command.Close) {
        venv.closeSync();
      }
    } catch (e) {
      post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
      status = Status.Error;
    }
    Atomics.store(c, base + STATUS, status);
    Atomics.store(c, base + DONE_SEQ, seen);
    Atomics.notify(c, base + DONE_SEQ);
    if (cmd === Command.Close) break;
  }
  port.close();
}
