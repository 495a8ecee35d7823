/**
 * An `EnvGroup` on worker threads: copy i of a `WorkerVectorEnv` is environment i of the
 * group, owned by one population member. Members queue their resets and steps; `flush()`
 * runs every queued call in one `apply` round (each worker steps its block of copies while
 * the others step theirs), with no auto-reset, so each member resets its own environment
 * with its own seeds as its single run does.
 */
import type { ResetOptions, ResetResult, StepResult } from '../core/env.js';
import type { EnvGroup, GroupEnv } from '../core/env-group.js';
import type { MakeEnvOptions } from '../registry.js';
import { checkActions } from './sync-vector-env.js';
import { type CopyCall, WorkerVectorEnv } from './worker-vector-env.js';

export interface WorkerEnvGroupOptions {
  count: number;
  /** worker threads (at most count) */
  numWorkers: number;
  envOptions?: MakeEnvOptions;
}

interface Queued {
  call: CopyCall;
  resolve: (r: StepResult) => void;
  reject: (e: unknown) => void;
}

export class WorkerEnvGroup implements EnvGroup {
  onRequest: (() => void) | null = null;
  private readonly queued = new Map<number, Queued>();
  private readonly waiting = new Set<number>();
  private readonly envs: GroupEnv[];

  private constructor(private readonly venv: WorkerVectorEnv) {
    this.envs = Array.from({ length: venv.numEnvs }, (_, i) => new RemoteEnv(this, venv, i));
  }

  static async create(id: string, opts: WorkerEnvGroupOptions): Promise<WorkerEnvGroup> {
    const venv = await WorkerVectorEnv.create(id, {
      numEnvs: opts.count,
      numWorkers: opts.numWorkers,
      envOptions: opts.envOptions ?? {},
    });
    return new WorkerEnvGroup(venv);
  }

  get size(): number {
    return this.envs.length;
  }

  get pending(): ReadonlySet<number> {
    return this.waiting;
  }

  env(i: number): GroupEnv {
    const e = this.envs[i];
    if (!e) throw new RangeError(`WorkerEnvGroup: environment ${i} is not in [0, ${this.size})`);
    return e;
  }

  /** Queues environment i's call for the next round (one call per environment at a time). */
  enqueue(i: number, call: CopyCall): Promise<StepResult> {
    if (this.queued.has(i))
      return Promise.reject(
        new Error(`${this.venv.id} #${i}: a call is already queued; await it before the next`),
      );
    const done = new Promise<StepResult>((resolve, reject) => this.queued.set(i, { call, resolve, reject }));
    this.waiting.add(i);
    this.onRequest?.();
    return done;
  }

  /** Whether environment i has a call queued (a blocking call then would overtake it). */
  isQueued(i: number): boolean {
    return this.queued.has(i);
  }

  async flush(): Promise<void> {
    if (this.queued.size === 0) return;
    const batch = new Map(this.queued);
    this.queued.clear();
    this.waiting.clear();
    try {
      await this.venv.apply(new Map([...batch].map(([i, q]) => [i, q.call])));
    } catch (e) {
      for (const q of batch.values()) q.reject(e);
      return;
    }
    for (const [i, q] of batch) q.resolve(this.venv.copyResult(i));
  }

  close(): Promise<void> {
    for (const q of this.queued.values()) q.reject(new Error(`${this.venv.id}: the group was closed`));
    this.queued.clear();
    this.waiting.clear();
    // the workers are terminated even when the polite close fails (a round still in flight),
    // and owners close without awaiting: never reject
    return this.venv.close().catch(() => undefined);
  }
}

/** Environment i of a WorkerEnvGroup, seen by its member as any Env. */
class RemoteEnv implements GroupEnv {
  private isClosed = false;

  constructor(
    private readonly group: WorkerEnvGroup,
    private readonly venv: WorkerVectorEnv,
    private readonly index: number,
  ) {}

  get id(): string {
    return this.venv.id;
  }
  get observationSpace() {
    return this.venv.singleObservationSpace;
  }
  get actionSpace() {
    return this.venv.singleActionSpace;
  }
  get dt(): number {
    return this.venv.dt;
  }
  get closed(): boolean {
    return this.isClosed;
  }

  resetAsync(options: ResetOptions = {}): Promise<ResetResult> {
    return this.queue(() => resetCall(options));
  }

  stepAsync(action: ArrayLike<number>): Promise<StepResult> {
    // checked here so that a bad action fails its own member's call, not the whole round
    return this.queue(() => {
      checkActions(this.id, action, 1, this.venv.actDim, this.index);
      return { op: 'step', action: Float64Array.from(action) };
    });
  }

  reset(options: ResetOptions = {}): ResetResult {
    const { obs, info } = this.callNow(resetCall(options));
    return { obs, info };
  }

  step(action: ArrayLike<number>): StepResult {
    return this.callNow({ op: 'step', action });
  }

  close(): void {
    // the group owns the workers and closes them all
    this.isClosed = true;
  }

  private queue(make: () => CopyCall): Promise<StepResult> {
    try {
      this.assertOpen();
      return this.group.enqueue(this.index, make());
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** A call alone, blocking until its worker answers (rare: an episode replayed on resume). */
  private callNow(call: CopyCall): StepResult {
    this.assertOpen();
    if (this.group.isQueued(this.index))
      throw new Error(`${this.id} #${this.index}: a queued call has not run yet; await it first`);
    this.venv.applySync(new Map([[this.index, call]]));
    return this.venv.copyResult(this.index);
  }

  private assertOpen(): void {
    if (this.isClosed) throw new Error(`${this.id} #${this.index}: used after close()`);
  }
}

function resetCall(options: ResetOptions): CopyCall {
  return options.seed === undefined ? { op: 'reset' } : { op: 'reset', seed: options.seed };
}
