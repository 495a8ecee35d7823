/** The environments with the worker-thread vector env (Node only): index.ts plus `WorkerVectorEnv` and `WorkerEnvGroup`. */
export * from './index.js';
export {
  WorkerVectorEnv,
  type WorkerVectorEnvOptions,
  makeWorkerVectorEnv,
} from './vector/worker-vector-env.js';
export { WorkerEnvGroup, type WorkerEnvGroupOptions } from './vector/worker-env-group.js';
