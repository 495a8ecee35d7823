/**
 * Vector environments: N copies of one environment stepped together.
 *
 * Layout: observations are one Float64Array of N × obsDim (env i at [i·obsDim, (i+1)·obsDim)),
 * actions one array of N × actDim, rewards a Float64Array of N, flags Uint8Arrays of N.
 * The returned arrays are owned by the vector env and overwritten by the next call.
 *
 * Auto-reset (Gymnasium's "same-step" mode): when env i terminates or truncates, it is
 * reset at once; `obs` row i holds the first observation of the new episode, while
 * `finalObs[i]` holds (a copy of) the last observation of the finished one and
 * `infos[i]` that step's info plus `episodeReturn` and `episodeLength`. For other envs
 * `finalObs[i]` is null.
 *
 * Seeding: `reset(seed)` resets env i with seed + i; automatic resets continue each
 * env's own generator, so a seed fixes every trajectory.
 */
import type { StepInfo } from '../core/env.js';
import type { Box } from '../core/space.js';

export interface VectorResetResult {
  obs: Float64Array;
  infos: StepInfo[];
}

export interface VectorStepResult {
  obs: Float64Array;
  rewards: Float64Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
  infos: StepInfo[];
  finalObs: (Float64Array | null)[];
}

export interface VectorEnv {
  readonly id: string;
  readonly numEnvs: number;
  readonly singleObservationSpace: Box;
  readonly singleActionSpace: Box;
  readonly obsDim: number;
  readonly actDim: number;
  reset(seed?: number): Promise<VectorResetResult>;
  step(actions: ArrayLike<number>): Promise<VectorStepResult>;
  close(): Promise<void>;
}
