/** The autograd layer's public surface. */
import './methods.js';

export { Tensor, type GradHook, type HookHandle, type Node, type NestedArray } from './tensor.js';
export * from './ops/index.js';
export type { TensorLike } from './ops/helpers.js';
export {
  tensor,
  zeros,
  ones,
  full,
  zerosLike,
  onesLike,
  arange,
  eye,
  rng,
  randn,
  rand,
  uniform,
  Generator,
  type TensorOptions,
} from './creation.js';
export { noGrad, enableGrad, isGradEnabled } from './grad-mode.js';
export { grad, valueAndGrad, vjp, jvp, hvp, hvpAt, type TransformOptions } from './functional.js';
export { gradcheck, gradgradcheck, type GradcheckOptions, type GradcheckReport } from './gradcheck.js';
export { exportGraph, toDot, type GraphJson, type GraphNode } from './graph-export.js';
export { detectAnomaly, setAnomalyMode, isAnomalyMode, AnomalyError } from './anomaly.js';
export { getDefaultBackend, setDefaultBackend } from './default-backend.js';
export {
  compile,
  compileEnabled,
  CompileError,
  isTracing,
  onReplay,
  untraced,
  type CompileOptions,
  type CompiledFunction,
} from './compile/index.js';
export type { BackwardOptions } from './engine.js';
