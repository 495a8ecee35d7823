/**
 * The neural-network layer: modules, initializers, optimizers, the safetensors format. Runs
 * in a browser too; reading and writing files is in node.ts.
 */
export { Module, ModuleList, type ModuleOptions, type StateDict, type LoadStateOptions } from './module.js';
export { Linear, type LinearOptions } from './linear.js';
export { MLP, type MLPOptions } from './mlp.js';
export { StackedLinear } from './stacked-linear.js';
export { StackedMLP } from './stacked-mlp.js';
export {
  stackMembers,
  populationSize,
  memberStateDict,
  loadMemberStateDict,
  memberOptimizerState,
  stackOptimizerStates,
} from './population.js';
export * as init from './init.js';
export type { Initializer, InitName, RngLike } from './init.js';
export { Optimizer, type OptimizerState, type LoadOptimizerOptions } from './optim/optimizer.js';
export { Adam, type AdamOptions } from './optim/adam.js';
export { SGD, type SGDOptions } from './optim/sgd.js';
export { clipGradNorm, globalNorm } from './optim/clip.js';
export type { ParamsLike } from './optim/params.js';
export {
  encodeSafetensors,
  encodeSafetensorsAsync,
  decodeSafetensors,
  SafetensorsError,
  type SafetensorsContents,
  type SafetensorsDType,
  type DecodeOptions,
  type TensorMap,
} from './safetensors.js';
