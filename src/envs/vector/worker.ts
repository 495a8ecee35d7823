/**
 * Worker-thread side of `WorkerVectorEnv`: loads MuJoCo itself, hosts a `SyncVectorEnv`
 * over its share of the copies and answers one request at a time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerInit, WorkerReply, WorkerRequest } from './protocol.js';
import { makeSyncVectorEnv, type SyncVectorEnv } from './sync-vector-env.js';

const port = parentPort!;
const init = workerData as WorkerInit;
const send = (m: WorkerReply) => port.postMessage(m);
const fail = (e: unknown) => send({ type: 'error', message: e instanceof Error ? e.message : String(e) });

let venv: SyncVectorEnv | null = null;
try {
  venv = await makeSyncVectorEnv(init.id, {
    numEnvs: init.numEnvs,
    envOptions: init.envOptions,
    indexOffset: init.indexOffset,
  });
  send({ type: 'ready', obsDim: venv.obsDim, actDim: venv.actDim });
} catch (e) {
  fail(e);
}

port.on('message', (req: WorkerRequest) => {
  try {
    if (venv === null) throw new Error('worker has no environments (its start failed)');
    if (req.type === 'reset') send({ type: 'reset', result: venv.resetSync(req.seed) });
    else if (req.type === 'step') send({ type: 'step', result: venv.stepSync(req.actions) });
    else {
      venv.closeSync();
      send({ type: 'closed' });
      port.close();
    }
  } catch (e) {
    fail(e);
  }
});
