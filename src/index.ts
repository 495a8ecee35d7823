/**
 * sr2l: robust and smooth deep reinforcement learning on a TypeScript autodiff engine.
 * `import * as sr from 'sr2l'`. Under Node: the core (browser.ts) plus what needs Node's
 * built-ins: safetensors files and checkpoints, atomic writes, the worker-thread vector env.
 */
export * from './browser.js';
export * as nn from './nn/node.js';
export * as envs from './envs/node.js';
export { saveSafetensors, loadSafetensors } from './nn/safetensors-file.js';
export { saveModule, loadModule, saveOptimizer, loadOptimizer } from './nn/checkpoint.js';
export { writeFileAtomic } from './util/atomic-write.js';
export {
  WorkerVectorEnv,
  type WorkerVectorEnvOptions,
  makeWorkerVectorEnv,
} from './envs/vector/worker-vector-env.js';
