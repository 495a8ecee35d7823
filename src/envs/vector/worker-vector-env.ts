/**
 * The worker-thread vector env: the N copies are split into contiguous blocks, one block
 * per worker thread (worker w owns envs [start_w, start_w + n_w), seeded seed + start_w + j),
 * so sampling uses several cores. Same layout, auto-reset and seeding as `SyncVectorEnv`,
 * hence the same trajectories for the same seed.
 *
 * Each worker loads the env module itself. From the built package it starts dist's
 * worker.js. When this file runs as TypeScript (tests and benchmarks under tsx/vitest)
 * the worker must load worker.ts through tsx; on Node 20 `execArgv: ['--import', 'tsx']`
 * does not reach a worker's entry module, so a two-line bootstrap registers tsx's loader
 * (`tsx/esm/api`) inside the worker and then imports worker.ts.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { StepInfo } from '../core/env.js';
import type { Box } from '../core/space.js';
import { makeEnv } from '../registry.js';
import type { WorkerInit, WorkerReply, WorkerRequest } from './protocol.js';
import { checkNumEnvs, type VectorEnvOptions } from './sync-vector-env.js';
import type { VectorEnv, VectorResetResult, VectorStepResult } from './vector-env.js';

export interface WorkerVectorEnvOptions extends VectorEnvOptions {
  /** worker threads (default: min(numEnvs, available cores)) */
  numWorkers?: number;
}

interface Slot {
  worker: Worker;
  start: number;
  count: number;
  pending: { resolve: (r: WorkerReply) => void; reject: (e: Error) => void } | null;
}

const RUNS_AS_TS = import.meta.url.endsWith('.ts');

export class WorkerVectorEnv implements VectorEnv {
  readonly obsDim: number;
  readonly actDim: number;
  private readonly obs: Float64Array;
  private readonly rewards: Float64Array;
  private readonly terminated: Uint8Array;
  private readonly truncated: Uint8Array;
  private isClosed = false;

  private constructor(
    readonly id: string,
    readonly numEnvs: number,
    readonly singleObservationSpace: Box,
    readonly singleActionSpace: Box,
    private readonly slots: Slot[],
  ) {
    this.obsDim = singleObservationSpace.shape[0]!;
    this.actDim = singleActionSpace.shape[0]!;
    this.obs = new Float64Array(numEnvs * this.obsDim);
    this.rewards = new Float64Array(numEnvs);
    this.terminated = new Uint8Array(numEnvs);
    this.truncated = new Uint8Array(numEnvs);
  }

  /** Starts the workers and waits until each has built its environments. */
  static async create(id: string, opts: WorkerVectorEnvOptions): Promise<WorkerVectorEnv> {
    checkNumEnvs(opts.numEnvs);
    const probe = await makeEnv(id, opts.envOptions); // checks id and options here, with a clear error
    const obsSpace = probe.observationSpace;
    const actSpace = probe.actionSpace;
    probe.close();
    const cores = (await import('node:os')).availableParallelism();
    const numWorkers = opts.numWorkers ?? Math.min(opts.numEnvs, cores);
    if (!Number.isInteger(numWorkers) || numWorkers < 1 || numWorkers > opts.numEnvs) {
      throw new RangeError(
        `WorkerVectorEnv: numWorkers must be an integer in [1, numEnvs=${opts.numEnvs}], got ${numWorkers}`,
      );
    }
    const slots: Slot[] = [];
    let start = 0;
    for (let w = 0; w < numWorkers; w++) {
      const count = Math.floor(opts.numEnvs / numWorkers) + (w < opts.numEnvs % numWorkers ? 1 : 0);
      const init: WorkerInit = { id, numEnvs: count, indexOffset: start, envOptions: opts.envOptions ?? {} };
      const worker = startWorker(init);
      const slot: Slot = { worker, start, count, pending: null };
      slots.push(slot);
      start += count;
    }
    const venv = new WorkerVectorEnv(id, opts.numEnvs, obsSpace, actSpace, slots);
    const ready = slots.map((s) => venv.await(s));
    for (const s of slots) venv.listen(s);
    const started = await Promise.allSettled(ready);
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) {
      await venv.terminate();
      throw failed.reason;
    }
    return venv;
  }

  async reset(seed?: number): Promise<VectorResetResult> {
    const replies = await this.broadcast((s) => ({
      type: 'reset',
      seed: seed === undefined ? undefined : seed + s.start,
    }));
    const infos: StepInfo[] = [];
    replies.forEach((r, w) => {
      if (r.type !== 'reset') throw new Error(`worker replied ${r.type} to reset`);
      this.obs.set(r.result.obs, this.slots[w]!.start * this.obsDim);
      infos.push(...r.result.infos);
    });
    return { obs: this.obs, infos };
  }

  async step(actions: ArrayLike<number>): Promise<VectorStepResult> {
    const n = this.numEnvs * this.actDim;
    if (actions.length !== n) {
      throw new RangeError(
        `vector ${this.id}: actions have length ${actions.length}, expected ${n} (${this.numEnvs} envs × ${this.actDim})`,
      );
    }
    const flat = actions instanceof Float64Array ? actions : Float64Array.from(actions);
    const replies = await this.broadcast((s) => ({
      type: 'step',
      actions: flat.slice(s.start * this.actDim, (s.start + s.count) * this.actDim),
    }));
    const infos: StepInfo[] = [];
    const finalObs: (Float64Array | null)[] = [];
    replies.forEach((r, w) => {
      if (r.type !== 'step') throw new Error(`worker replied ${r.type} to step`);
      const s = this.slots[w]!;
      this.obs.set(r.result.obs, s.start * this.obsDim);
      this.rewards.set(r.result.rewards, s.start);
      this.terminated.set(r.result.terminated, s.start);
      this.truncated.set(r.result.truncated, s.start);
      infos.push(...r.result.infos);
      finalObs.push(...r.result.finalObs);
    });
    return {
      obs: this.obs,
      rewards: this.rewards,
      terminated: this.terminated,
      truncated: this.truncated,
      infos,
      finalObs,
    };
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    try {
      await this.broadcast(() => ({ type: 'close' }));
    } finally {
      await this.terminate();
    }
  }

  private async terminate(): Promise<void> {
    this.isClosed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  /** Sends one request to every worker; waits for all replies (so none is left pending). */
  private async broadcast(make: (s: Slot) => WorkerRequest): Promise<WorkerReply[]> {
    if (this.isClosed) throw new Error(`vector ${this.id}: used after close()`);
    const settled = await Promise.allSettled(
      this.slots.map((s) => {
        const p = this.await(s);
        s.worker.postMessage(make(s));
        return p;
      }),
    );
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((r) => (r as PromiseFulfilledResult<WorkerReply>).value);
  }

  /** The next reply of a worker (one request in flight per worker). */
  private await(s: Slot): Promise<WorkerReply> {
    if (s.pending)
      return Promise.reject(new Error(`vector ${this.id}: a call is already in progress; await it first`));
    return new Promise((resolve, reject) => {
      s.pending = { resolve, reject };
    });
  }

  private listen(s: Slot): void {
    const settle = (fn: (p: NonNullable<Slot['pending']>) => void) => {
      const p = s.pending;
      s.pending = null;
      if (p) fn(p);
    };
    s.worker.on('message', (m: WorkerReply) =>
      settle((p) =>
        m.type === 'error' ? p.reject(new Error(`vector ${this.id} worker: ${m.message}`)) : p.resolve(m),
      ),
    );
    s.worker.on('error', (e) => settle((p) => p.reject(e)));
    s.worker.on('exit', (code) => {
      if (!this.isClosed)
        settle((p) => p.reject(new Error(`vector ${this.id}: worker exited with code ${code}`)));
    });
  }
}

function startWorker(init: WorkerInit): Worker {
  if (!RUNS_AS_TS) return new Worker(new URL('./worker.js', import.meta.url), { workerData: init });
  // tsx's ESM API (resolved from here; its package maps the `import` condition to index.mjs)
  const tsxApi = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/index\.cjs$/, 'index.mjs');
  const entry = new URL('./worker.ts', import.meta.url).href;
  const bootstrap =
    `import(${JSON.stringify(pathToFileURL(tsxApi).href)})` +
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: init });
}

/** N copies of `id` spread over worker threads. */
export function makeWorkerVectorEnv(id: string, opts: WorkerVectorEnvOptions): Promise<WorkerVectorEnv> {
  return WorkerVectorEnv.create(id, opts);
}
