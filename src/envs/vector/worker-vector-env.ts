/**
 * The worker-thread vector env: the N copies are split into contiguous blocks, one block
 * per worker thread (worker w owns envs [start_w, start_w + n_w), seeded seed + start_w + j),
 * so sampling uses several cores. Same layout, auto-reset and seeding as `SyncVectorEnv`
 * (each worker runs one over its block), hence the same trajectories for the same seed.
 * Requests and results go through shared memory (see shared-buffers.ts).
 *
 * Each worker loads the env module itself. From the built package it starts dist's
 * worker.js. When this file runs as TypeScript (tests and benchmarks under tsx/vitest)
 * the worker must load worker.ts through tsx; on Node 20 `execArgv: ['--import', 'tsx']`
 * does not reach a worker's entry module, so a two-line bootstrap registers tsx's loader
 * (`tsx/esm/api`) inside the worker and then imports worker.ts.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { StepInfo, StepResult } from '../core/env.js';
import type { Box } from '../core/space.js';
import { makeEnv } from '../registry.js';
import type { WorkerInit, WorkerMessage } from './protocol.js';
import {
  COMMAND,
  CONTROL_STRIDE,
  Command,
  CopyOp,
  DONE_SEQ,
  REQ_SEQ,
  STATUS,
  SharedBuffers,
  Status,
} from './shared-buffers.js';
import { checkActions, checkNumEnvs, type VectorEnvOptions } from './sync-vector-env.js';
import type { VectorEnv, VectorResetResult, VectorStepResult } from './vector-env.js';

export interface WorkerVectorEnvOptions extends VectorEnvOptions {
  /** worker threads (default: min(numEnvs, available cores)) */
  numWorkers?: number;
}

/** One copy's call in an `apply` round: a reset (seeded or not) or a step. */
export type CopyCall = { op: 'reset'; seed?: number } | { op: 'step'; action: ArrayLike<number> };

/** How long a blocking call (`applySync`) waits for a worker before it gives up. */
const SYNC_TIMEOUT_MS = 120_000;

interface Slot {
  worker: Worker;
  start: number;
  count: number;
  /** error texts the worker posted, oldest first */
  errors: string[];
  /** resolves when the worker posts a message or dies */
  wake: (() => void) | null;
  dead: string | null;
}

const RUNS_AS_TS = import.meta.url.endsWith('.ts');

// Atomics.waitAsync is in Node ≥ 16 but not in TypeScript's ES2023 lib.
type WaitAsync = (
  a: Int32Array,
  i: number,
  v: number,
) => { async: false; value: string } | { async: true; value: Promise<string> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

export class WorkerVectorEnv implements VectorEnv {
  readonly obsDim: number;
  readonly actDim: number;
  private isClosed = false;
  private busy = false;

  private constructor(
    readonly id: string,
    readonly numEnvs: number,
    readonly singleObservationSpace: Box,
    readonly singleActionSpace: Box,
    /** seconds of simulated time per step of one copy */
    readonly dt: number,
    private readonly shared: SharedBuffers,
    private readonly slots: Slot[],
  ) {
    this.obsDim = shared.layout.obsDim;
    this.actDim = shared.layout.actDim;
  }

  /** Starts the workers and waits until each has built its environments. */
  static async create(id: string, opts: WorkerVectorEnvOptions): Promise<WorkerVectorEnv> {
    checkNumEnvs(opts.numEnvs);
    const numWorkers = opts.numWorkers ?? Math.min(opts.numEnvs, availableParallelism());
    if (!Number.isInteger(numWorkers) || numWorkers < 1 || numWorkers > opts.numEnvs) {
      throw new RangeError(
        `WorkerVectorEnv: numWorkers must be an integer in [1, numEnvs=${opts.numEnvs}], got ${numWorkers}`,
      );
    }
    // a probe copy here: checks id and options with a clear error, and gives the spaces
    // and the info keys the workers will report
    const probe = await makeEnv(id, { ...opts.envOptions, maxEpisodeSteps: null });
    const infoKeys = new Set(Object.keys(probe.reset({ seed: 0 }).info));
    for (const k of Object.keys(probe.step(new Float64Array(probe.actionSpace.shape[0]!)).info))
      infoKeys.add(k);
    infoKeys.add('episodeReturn').add('episodeLength');
    const obsSpace = probe.observationSpace;
    const actSpace = probe.actionSpace;
    const dt = probe.dt;
    probe.close();

    const shared = new SharedBuffers({
      numEnvs: opts.numEnvs,
      numWorkers,
      obsDim: obsSpace.shape[0]!,
      actDim: actSpace.shape[0]!,
      infoKeys: [...infoKeys],
    });
    const slots: Slot[] = [];
    let start = 0;
    for (let w = 0; w < numWorkers; w++) {
      const count = Math.floor(opts.numEnvs / numWorkers) + (w < opts.numEnvs % numWorkers ? 1 : 0);
      const init: WorkerInit = {
        id,
        envOptions: opts.envOptions ?? {},
        worker: w,
        start,
        count,
        layout: shared.layout,
        buffer: shared.buffer,
      };
      slots.push({ worker: startWorker(init), start, count, errors: [], wake: null, dead: null });
      start += count;
    }
    const venv = new WorkerVectorEnv(id, opts.numEnvs, obsSpace, actSpace, dt, shared, slots);
    const ready = slots.map((s) => venv.listen(s));
    const started = await Promise.allSettled(ready);
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) {
      await venv.terminate();
      throw failed.reason;
    }
    for (const s of slots) s.worker.unref(); // idle workers do not keep the process alive
    return venv;
  }

  async reset(seed?: number): Promise<VectorResetResult> {
    this.slots.forEach((s, w) => (this.shared.seeds[w] = seed === undefined ? NaN : seed + s.start));
    await this.command(Command.Reset);
    return { obs: this.shared.obs, infos: this.readInfos() };
  }

  async step(actions: ArrayLike<number>): Promise<VectorStepResult> {
    checkActions(this.id, actions, this.numEnvs, this.actDim);
    if (this.busy) throw new Error(`vector ${this.id}: a call is already in progress; await it first`);
    this.shared.actions.set(actions);
    await this.command(Command.Step);
    const sh = this.shared;
    const finalObs: (Float64Array | null)[] = [];
    for (let i = 0; i < this.numEnvs; i++) {
      finalObs.push(sh.hasFinal[i] ? sh.finalObs.slice(i * this.obsDim, (i + 1) * this.obsDim) : null);
    }
    return {
      obs: sh.obs,
      rewards: sh.rewards,
      terminated: sh.terminated,
      truncated: sh.truncated,
      infos: this.readInfos(),
      finalObs,
    };
  }

  /**
   * One round of per-copy calls without auto-reset, for callers that own each copy's
   * episodes (a population's members, one copy each): copy i resets or steps as `calls`
   * says, the others idle; every worker runs its block's calls at once. `copyResult(i)`
   * then reads copy i's outcome. Actions are checked first, so a bad one steps nothing.
   */
  async apply(calls: ReadonlyMap<number, CopyCall>): Promise<void> {
    this.assertIdle();
    this.prepare(calls);
    await this.command(Command.Apply);
  }

  /**
   * `apply`, blocking this thread until the workers answer (Atomics.wait, which Node allows
   * on its main thread): for the rare calls outside a round, such as replaying an episode
   * on resume. A failure closes the vector env (the worker's own message is not readable
   * while blocked).
   */
  applySync(calls: ReadonlyMap<number, CopyCall>): void {
    this.assertIdle();
    this.prepare(calls);
    const c = this.shared.control;
    const seqs = this.post(Command.Apply);
    for (const [w, seq] of seqs.entries()) {
      const idx = w * CONTROL_STRIDE + DONE_SEQ;
      for (let done = Atomics.load(c, idx); done !== seq; done = Atomics.load(c, idx)) {
        if (Atomics.wait(c, idx, done, SYNC_TIMEOUT_MS) === 'timed-out') {
          void this.terminate();
          throw new Error(`vector ${this.id}: worker ${w} did not answer within ${SYNC_TIMEOUT_MS / 1000} s`);
        }
      }
      if (Atomics.load(c, w * CONTROL_STRIDE + STATUS) === Status.Error) {
        void this.terminate();
        throw new Error(`vector ${this.id}: worker ${w} failed a blocking call; the vector env is closed`);
      }
    }
  }

  /** Copy i's outcome of the last `apply` round (obs is a view, overwritten by copy i's next call). */
  copyResult(i: number): StepResult {
    const sh = this.shared;
    return {
      obs: sh.obs.subarray(i * this.obsDim, (i + 1) * this.obsDim),
      reward: sh.rewards[i]!,
      terminated: sh.terminated[i] === 1,
      truncated: sh.truncated[i] === 1,
      info: this.readInfo(i),
    };
  }

  private prepare(calls: ReadonlyMap<number, CopyCall>): void {
    const sh = this.shared;
    for (const [i, call] of calls) {
      if (!(Number.isInteger(i) && i >= 0 && i < this.numEnvs))
        throw new RangeError(`vector ${this.id}: copy ${i} is not in [0, ${this.numEnvs})`);
      if (call.op === 'step') checkActions(this.id, call.action, 1, this.actDim, i);
    }
    sh.ops.fill(CopyOp.Idle);
    for (const [i, call] of calls) {
      if (call.op === 'reset') {
        sh.ops[i] = CopyOp.Reset;
        sh.copySeeds[i] = call.seed ?? NaN;
      } else {
        sh.ops[i] = CopyOp.Step;
        sh.actions.set(call.action, i * this.actDim);
      }
    }
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    try {
      await this.command(Command.Close);
    } finally {
      await this.terminate();
    }
  }

  /** Posts `cmd` to every worker, waits for all, then reports the first error. */
  private async command(cmd: number): Promise<void> {
    this.assertIdle();
    this.busy = true;
    // Atomics.waitAsync does not keep Node's event loop alive, a running worker does: hold
    // the workers only while a call is in flight, so a forgotten close() does not hang exit
    for (const s of this.slots) s.worker.ref();
    try {
      const c = this.shared.control;
      const seqs = this.post(cmd);
      await Promise.all(this.slots.map((s, w) => this.waitDone(s, w, seqs[w]!)));
      // collect the error text of every failed worker (so none is left for a later call)
      const errors: string[] = [];
      for (let w = 0; w < this.slots.length; w++) {
        if (Atomics.load(c, w * CONTROL_STRIDE + STATUS) !== Status.Error) continue;
        const s = this.slots[w]!;
        while (s.errors.length === 0 && s.dead === null) await new Promise<void>((r) => (s.wake = r));
        errors.push(s.errors.shift() ?? `vector ${this.id}: ${s.dead}`);
      }
      if (errors.length > 0) throw new Error(errors[0]);
    } finally {
      this.busy = false;
      for (const s of this.slots) s.worker.unref();
    }
  }

  private assertIdle(): void {
    if (this.isClosed) throw new Error(`vector ${this.id}: used after close()`);
    if (this.busy) throw new Error(`vector ${this.id}: a call is already in progress; await it first`);
  }

  /** Posts `cmd` to every worker; returns the request sequence each will answer. */
  private post(cmd: number): number[] {
    const c = this.shared.control;
    return this.slots.map((_, w) => {
      const base = w * CONTROL_STRIDE;
      Atomics.store(c, base + COMMAND, cmd);
      const seq = Atomics.add(c, base + REQ_SEQ, 1) + 1;
      Atomics.notify(c, base + REQ_SEQ);
      return seq;
    });
  }

  private async waitDone(s: Slot, w: number, seq: number): Promise<void> {
    const c = this.shared.control;
    const idx = w * CONTROL_STRIDE + DONE_SEQ;
    for (;;) {
      // the answer first: a worker that answered close() and then exited (its exit event
      // may come before this check) did what was asked
      const done = Atomics.load(c, idx);
      if (done === seq) return;
      if (s.dead !== null) throw new Error(`vector ${this.id}: ${s.dead}`);
      const r = waitAsync(c, idx, done);
      if (r.async) {
        // a worker that dies never notifies: race its death
        await Promise.race([r.value, new Promise<void>((res) => (s.wake = res))]);
      }
    }
  }

  private readInfos(): StepInfo[] {
    return Array.from({ length: this.numEnvs }, (_, i) => this.readInfo(i));
  }

  private readInfo(i: number): StepInfo {
    const { info, infoSet, layout } = this.shared;
    const keys = layout.infoKeys;
    const o: StepInfo = {};
    for (let k = 0; k < keys.length; k++)
      if (infoSet[i * keys.length + k]) o[keys[k]!] = info[i * keys.length + k]!;
    return o;
  }

  private async terminate(): Promise<void> {
    this.isClosed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  /** Routes a worker's messages and death to its slot; resolves on 'ready'. */
  private listen(s: Slot): Promise<void> {
    return new Promise((resolve, reject) => {
      const wake = () => {
        const f = s.wake;
        s.wake = null;
        f?.();
      };
      s.worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'ready') resolve();
        else {
          s.errors.push(m.message);
          reject(new Error(`vector ${this.id}: ${m.message}`)); // only matters before 'ready'
        }
        wake();
      });
      const die = (why: string) => {
        s.dead ??= why;
        reject(new Error(`vector ${this.id}: ${why}`));
        wake();
      };
      s.worker.on('error', (e) => die(`worker failed: ${e.message}`));
      s.worker.on('exit', (code) => {
        if (!this.isClosed) die(`worker exited with code ${code}`);
      });
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
