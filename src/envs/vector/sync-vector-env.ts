/**
 * The single-thread vector env: steps its copies one after another in this thread.
 * `resetSync`/`stepSync` avoid the promise; `reset`/`step` satisfy `VectorEnv`.
 * The worker-thread variant runs one of these per worker, so both give the same numbers.
 */
import type { Env, StepInfo } from '../core/env.js';
import { boxSize } from '../core/space.js';
import { type MakeEnvOptions, makeEnv, makeEnvSync } from '../registry.js';
import type { VectorEnv, VectorResetResult, VectorStepResult } from './vector-env.js';

export interface VectorEnvOptions {
  numEnvs: number;
  /** options for every copy (see `makeEnv`) */
  envOptions?: MakeEnvOptions;
}

export interface SyncVectorEnvOptions extends VectorEnvOptions {
  /** wraps copy i after it is made (e.g. `(e) => new ClipAction(e)`); single-thread only */
  wrap?: (env: Env, index: number) => Env;
}

/** Internal: the global index of the first copy (set by worker threads for their block). */
interface BlockOptions extends SyncVectorEnvOptions {
  indexOffset?: number;
}

export class SyncVectorEnv implements VectorEnv {
  readonly numEnvs: number;
  readonly obsDim: number;
  readonly actDim: number;
  private readonly obs: Float64Array;
  private readonly rewards: Float64Array;
  private readonly terminated: Uint8Array;
  private readonly truncated: Uint8Array;
  private readonly returns: Float64Array;
  private readonly lengths: Uint32Array;
  private started = false;
  private isClosed = false;

  /**
   * Wraps already-built environments (all with the same spaces). `indexOffset` is the
   * global index of `envs[0]` (worker blocks), used in error messages.
   */
  constructor(
    readonly envs: Env[],
    private readonly indexOffset = 0,
  ) {
    if (envs.length === 0) throw new RangeError('SyncVectorEnv: need at least one environment');
    this.numEnvs = envs.length;
    this.obsDim = boxSize(envs[0]!.observationSpace);
    this.actDim = boxSize(envs[0]!.actionSpace);
    for (const e of envs) {
      if (boxSize(e.observationSpace) !== this.obsDim || boxSize(e.actionSpace) !== this.actDim) {
        throw new RangeError(`SyncVectorEnv: ${e.id} has different space sizes from ${envs[0]!.id}`);
      }
    }
    this.obs = new Float64Array(this.numEnvs * this.obsDim);
    this.rewards = new Float64Array(this.numEnvs);
    this.terminated = new Uint8Array(this.numEnvs);
    this.truncated = new Uint8Array(this.numEnvs);
    this.returns = new Float64Array(this.numEnvs);
    this.lengths = new Uint32Array(this.numEnvs);
  }

  get id(): string {
    return this.envs[0]!.id;
  }
  get singleObservationSpace() {
    return this.envs[0]!.observationSpace;
  }
  get singleActionSpace() {
    return this.envs[0]!.actionSpace;
  }

  resetSync(seed?: number): VectorResetResult {
    this.assertOpen();
    const infos: StepInfo[] = [];
    for (let i = 0; i < this.numEnvs; i++) {
      const r = this.envs[i]!.reset(seed === undefined ? {} : { seed: seed + i });
      this.obs.set(r.obs, i * this.obsDim);
      infos.push(r.info);
    }
    this.returns.fill(0);
    this.lengths.fill(0);
    this.started = true;
    return { obs: this.obs, infos };
  }

  stepSync(actions: ArrayLike<number>): VectorStepResult {
    this.assertOpen();
    if (!this.started) throw new Error(`vector ${this.id}: step() before reset(); call reset() first`);
    checkActions(this.id, actions, this.numEnvs, this.actDim, this.indexOffset);
    const infos: StepInfo[] = [];
    const finalObs: (Float64Array | null)[] = [];
    for (let i = 0; i < this.numEnvs; i++) {
      const env = this.envs[i]!;
      const a = subarray(actions, i * this.actDim, this.actDim);
      const r = env.step(a);
      this.rewards[i] = r.reward;
      this.terminated[i] = r.terminated ? 1 : 0;
      this.truncated[i] = r.truncated ? 1 : 0;
      this.returns[i] += r.reward;
      this.lengths[i]!++;
      if (r.terminated || r.truncated) {
        r.info.episodeReturn = this.returns[i]!;
        r.info.episodeLength = this.lengths[i]!;
        finalObs.push(r.obs.slice());
        this.returns[i] = 0;
        this.lengths[i] = 0;
        this.obs.set(env.reset().obs, i * this.obsDim);
      } else {
        finalObs.push(null);
        this.obs.set(r.obs, i * this.obsDim);
      }
      infos.push(r.info);
    }
    return {
      obs: this.obs,
      rewards: this.rewards,
      terminated: this.terminated,
      truncated: this.truncated,
      infos,
      finalObs,
    };
  }

  reset(seed?: number): Promise<VectorResetResult> {
    return Promise.resolve().then(() => this.resetSync(seed));
  }

  step(actions: ArrayLike<number>): Promise<VectorStepResult> {
    return Promise.resolve().then(() => this.stepSync(actions));
  }

  closeSync(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const e of this.envs) e.close();
  }

  close(): Promise<void> {
    this.closeSync();
    return Promise.resolve();
  }

  private assertOpen(): void {
    if (this.isClosed) throw new Error(`vector ${this.id}: used after close()`);
  }
}

/** A view of `len` entries from `start` (no copy for typed arrays). */
function subarray(a: ArrayLike<number>, start: number, len: number): ArrayLike<number> {
  if (a instanceof Float64Array || a instanceof Float32Array) return a.subarray(start, start + len);
  return Array.prototype.slice.call(a, start, start + len) as number[];
}

/** N copies of `id` in this thread. */
export async function makeSyncVectorEnv(id: string, opts: BlockOptions): Promise<SyncVectorEnv> {
  checkNumEnvs(opts.numEnvs);
  const envs: Env[] = [await makeEnv(id, opts.envOptions)]; // loads MuJoCo if needed
  for (let i = 1; i < opts.numEnvs; i++) envs.push(makeEnvSync(id, opts.envOptions));
  if (opts.wrap) envs.forEach((e, i) => (envs[i] = opts.wrap!(e, i)));
  return new SyncVectorEnv(envs, opts.indexOffset ?? 0);
}

/**
 * Checks the whole batch before any copy is stepped, so a bad entry leaves every copy
 * where it was. `indexOffset` is the global index of the first copy (worker blocks).
 */
export function checkActions(
  id: string,
  actions: ArrayLike<number>,
  numEnvs: number,
  actDim: number,
  indexOffset = 0,
): void {
  const n = numEnvs * actDim;
  if (actions === null || typeof actions !== 'object' || actions.length !== n) {
    throw new RangeError(
      `vector ${id}: actions have length ${actions?.length}, expected ${n} (${numEnvs} envs × ${actDim})`,
    );
  }
  for (let k = 0; k < n; k++) {
    const v = actions[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      const env = indexOffset + Math.floor(k / actDim);
      throw new RangeError(
        `vector ${id}: action ${k % actDim} of env ${env} is ${String(v)}; every entry must be a finite number`,
      );
    }
  }
}

export function checkNumEnvs(n: number): void {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`vector env: numEnvs must be a positive integer, got ${n}`);
}
