/** Start-up data and the few messages between `WorkerVectorEnv` and `worker.ts`. */
import type { MakeEnvOptions } from '../registry.js';
import type { SharedLayout } from './shared-buffers.js';

export interface WorkerInit {
  id: string;
  envOptions: MakeEnvOptions;
  /** this worker's index and its block of copies [start, start + count) */
  worker: number;
  start: number;
  count: number;
  layout: SharedLayout;
  buffer: SharedArrayBuffer;
}

/** Worker → main, by message (steps go through shared memory). */
export type WorkerMessage = { type: 'ready' } | { type: 'error'; message: string };
