/** The environments with the worker-thread vector env (Node only): index.ts plus `WorkerVectorEnv`. */
export * from './index.js';
export {
  WorkerVectorEnv,
  type WorkerVectorEnvOptions,
  makeWorkerVectorEnv,
} from './vector/worker-vector-env.js';
