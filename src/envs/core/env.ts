/**
 * The Gymnasium-style environment contract shared by every environment and wrapper.
 *
 * Buffer ownership: `obs` returned by `reset`/`step` is a buffer owned by the
 * environment and overwritten by the next `reset`/`step` (no allocation per step).
 * Copy it (`obs.slice()`) to keep it. `info` is a fresh object every call.
 */
import type { Box } from './space.js';

/** Scalar diagnostics of one step (reward terms, positions, velocities). */
export type StepInfo = Record<string, number>;

export interface ResetOptions {
  /** Reseeds the environment's generator (`new Rng(seed)`); omitted: continue the current stream. */
  seed?: number;
}

export interface ResetResult {
  obs: Float64Array;
  info: StepInfo;
}

export interface StepResult {
  obs: Float64Array;
  reward: number;
  /** The task reached a terminal state (e.g. the robot fell); bootstrapping should stop. */
  terminated: boolean;
  /** The episode was cut short from outside the task (time limit); the state is not terminal. */
  truncated: boolean;
  info: StepInfo;
}

export interface Env {
  /** Registered id, e.g. `Hopper-v5`. */
  readonly id: string;
  readonly observationSpace: Box;
  readonly actionSpace: Box;
  /** Seconds of simulated time per `step`. */
  readonly dt: number;
  reset(options?: ResetOptions): ResetResult;
  step(action: ArrayLike<number>): StepResult;
  /** Frees native resources; further calls to reset/step throw. Idempotent. */
  close(): void;
  readonly closed: boolean;
}
