/** Messages between `WorkerVectorEnv` (main thread) and `worker.ts` (one per worker). */
import type { MakeEnvOptions } from '../registry.js';
import type { VectorResetResult, VectorStepResult } from './vector-env.js';

export interface WorkerInit {
  id: string;
  numEnvs: number;
  /** global index of this worker's first copy */
  indexOffset: number;
  envOptions: MakeEnvOptions;
}

export type WorkerRequest =
  { type: 'reset'; seed: number | undefined } | { type: 'step'; actions: Float64Array } | { type: 'close' };

export type WorkerReply =
  | { type: 'ready'; obsDim: number; actDim: number }
  | { type: 'reset'; result: VectorResetResult }
  | { type: 'step'; result: VectorStepResult }
  | { type: 'closed' }
  | { type: 'error'; message: string };
