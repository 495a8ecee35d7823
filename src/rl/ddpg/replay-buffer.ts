/**
 * A fixed-capacity replay buffer of (s, a, r, s', terminal) transitions in preallocated
 * typed arrays (no allocation per transition). When full, the oldest transition is
 * overwritten (a ring). Minibatches are drawn uniformly with replacement, as garage's
 * SimpleReplayBuffer does, into caller-owned host arrays that are reused every update.
 */
import { checkPositiveInt } from '../../nn/checks.js';
import type { Rng } from '../../util/rng.js';

export type BufferDType = 'float32' | 'float64';

export interface ReplayBufferOptions {
  /** transitions held (garage: 1e6) */
  capacity: number;
  obsDim: number;
  actDim: number;
  /** element type of the stored observations/actions/rewards (default float32, the networks' dtype) */
  dtype?: BufferDType;
}

export type Floats = Float32Array | Float64Array;

/** The stored arrays, one row per transition. */
export type ReplayColumn = 'obs' | 'action' | 'reward' | 'nextObs' | 'terminal';

/** One minibatch on the host, row-major: obs [B, obsDim], action [B, actDim], reward/terminal [B]. */
export interface TransitionBatch {
  readonly size: number;
  readonly obs: Floats;
  readonly action: Floats;
  readonly reward: Floats;
  readonly nextObs: Floats;
  /** 1 where the transition ended the episode in a terminal state (no bootstrapping), else 0 */
  readonly terminal: Floats;
  /** the buffer rows drawn (for tests and inspection) */
  readonly indices: Int32Array;
}

/** What a checkpoint needs to rebuild the buffer exactly. */
export interface ReplayBufferState {
  capacity: number;
  obsDim: number;
  actDim: number;
  /** next row to write */
  position: number;
  /** rows filled so far (≤ capacity) */
  size: number;
  /** transitions ever added */
  added: number;
}

export class ReplayBuffer {
  readonly capacity: number;
  readonly obsDim: number;
  readonly actDim: number;
  readonly dtype: BufferDType;
  private readonly obs: Floats;
  private readonly action: Floats;
  private readonly reward: Floats;
  private readonly nextObs: Floats;
  private readonly terminal: Floats;
  private position = 0;
  private filled = 0;
  private added = 0;

  constructor(opts: ReplayBufferOptions) {
    this.capacity = checkPositiveInt('ReplayBuffer', 'capacity', opts.capacity);
    this.obsDim = checkPositiveInt('ReplayBuffer', 'obsDim', opts.obsDim);
    this.actDim = checkPositiveInt('ReplayBuffer', 'actDim', opts.actDim);
    this.dtype = opts.dtype ?? 'float32';
    if (this.dtype !== 'float32' && this.dtype !== 'float64')
      throw new RangeError(`ReplayBuffer: dtype must be 'float32' or 'float64', got '${String(this.dtype)}'`);
    const c = this.emptyColumns(this.capacity);
    this.obs = c.obs;
    this.action = c.action;
    this.reward = c.reward;
    this.nextObs = c.nextObs;
    this.terminal = c.terminal;
  }

  /** Values per transition in each column. */
  get widths(): Record<ReplayColumn, number> {
    return { obs: this.obsDim, action: this.actDim, reward: 1, nextObs: this.obsDim, terminal: 1 };
  }

  /** Rows holding data. */
  get size(): number {
    return this.filled;
  }

  /** Transitions ever added (keeps counting after wrap-around). */
  get totalAdded(): number {
    return this.added;
  }

  /** Stores one transition (the arrays are copied), overwriting the oldest when full. */
  add(
    obs: ArrayLike<number>,
    action: ArrayLike<number>,
    reward: number,
    nextObs: ArrayLike<number>,
    terminal: boolean,
  ): void {
    if (obs.length !== this.obsDim || nextObs.length !== this.obsDim)
      throw new RangeError(
        `ReplayBuffer.add: observations must have ${this.obsDim} entries, got ${obs.length} and ${nextObs.length}`,
      );
    if (action.length !== this.actDim)
      throw new RangeError(`ReplayBuffer.add: action must have ${this.actDim} entries, got ${action.length}`);
    if (!Number.isFinite(reward))
      throw new RangeError(`ReplayBuffer.add: reward must be finite, got ${reward}`);
    const i = this.position;
    this.obs.set(obs, i * this.obsDim);
    this.nextObs.set(nextObs, i * this.obsDim);
    this.action.set(action, i * this.actDim);
    this.reward[i] = reward;
    this.terminal[i] = terminal ? 1 : 0;
    this.position = (i + 1) % this.capacity;
    this.filled = Math.min(this.filled + 1, this.capacity);
    this.added++;
  }

  /** Host arrays for minibatches of `size` rows, to pass to sampleInto again and again. */
  allocateBatch(size: number): TransitionBatch {
    checkPositiveInt('ReplayBuffer.allocateBatch', 'size', size);
    return { size, ...this.emptyColumns(size), indices: new Int32Array(size) };
  }

  /** Fills `out` with `out.size` rows drawn uniformly with replacement from the stored ones. */
  sampleInto(out: TransitionBatch, rng: Rng): TransitionBatch {
    if (this.filled === 0) throw new Error('ReplayBuffer.sample: the buffer is empty');
    const { obsDim: o, actDim: a } = this;
    for (let k = 0; k < out.size; k++) {
      const i = rng.int(this.filled);
      out.indices[k] = i;
      out.obs.set(this.obs.subarray(i * o, (i + 1) * o), k * o);
      out.nextObs.set(this.nextObs.subarray(i * o, (i + 1) * o), k * o);
      out.action.set(this.action.subarray(i * a, (i + 1) * a), k * a);
      out.reward[k] = this.reward[i]!;
      out.terminal[k] = this.terminal[i]!;
    }
    return out;
  }

  /** Row `i` as plain arrays (for tests and inspection). */
  row(i: number): { obs: number[]; action: number[]; reward: number; nextObs: number[]; terminal: boolean } {
    if (!Number.isInteger(i) || i < 0 || i >= this.filled)
      throw new RangeError(`ReplayBuffer.row: index ${i} is outside [0, ${this.filled})`);
    const { obsDim: o, actDim: a } = this;
    return {
      obs: [...this.obs.subarray(i * o, (i + 1) * o)],
      action: [...this.action.subarray(i * a, (i + 1) * a)],
      reward: this.reward[i]!,
      nextObs: [...this.nextObs.subarray(i * o, (i + 1) * o)],
      terminal: this.terminal[i] === 1,
    };
  }

  getState(): ReplayBufferState {
    const { capacity, obsDim, actDim } = this;
    return { capacity, obsDim, actDim, position: this.position, size: this.filled, added: this.added };
  }

  /** The filled rows of every column (views, not copies), in row order. */
  columns(): Record<ReplayColumn, Floats> {
    const n = this.filled;
    return {
      obs: this.obs.subarray(0, n * this.obsDim),
      action: this.action.subarray(0, n * this.actDim),
      reward: this.reward.subarray(0, n),
      nextObs: this.nextObs.subarray(0, n * this.obsDim),
      terminal: this.terminal.subarray(0, n),
    };
  }

  /**
   * Copies of transitions number `from` to `totalAdded - 1` (numbered from the first ever
   * added), in that order: the part of the buffer a checkpoint has not written yet.
   */
  rowsSince(from: number): Record<ReplayColumn, Floats> {
    const oldest = this.added - this.filled;
    if (!Number.isInteger(from) || from < oldest || from > this.added)
      throw new RangeError(
        `ReplayBuffer.rowsSince: transition ${from} is not held (the buffer holds ${oldest} to ${this.added - 1})`,
      );
    const out = this.emptyColumns(this.added - from);
    const held = this.rows();
    for (let g = from; g < this.added; g++) this.copyRow(g % this.capacity, g - from, held, out);
    return out;
  }

  /**
   * Restores `state` from the transitions it holds given in the order they were added
   * (numbers state.added − state.size to state.added − 1): each lands in the row it had,
   * so sampling after a restore draws exactly what it would have drawn.
   */
  loadRows(
    state: ReplayBufferState,
    cols: Record<string, ArrayLike<number>>,
    source = 'replay buffer',
  ): void {
    this.checkState(state, cols, `ReplayBuffer.loadRows (${source})`);
    const first = state.added - state.size;
    const src = cols as Record<ReplayColumn, ArrayLike<number>>;
    const held = this.rows();
    for (let k = 0; k < state.size; k++) this.copyRow(k, (first + k) % this.capacity, src, held);
    this.position = state.position;
    this.filled = state.size;
    this.added = state.added;
  }

  /** The whole arrays (every row, filled or not). */
  private rows(): Record<ReplayColumn, Floats> {
    const { obs, action, reward, nextObs, terminal } = this;
    return { obs, action, reward, nextObs, terminal };
  }

  /** Zeroed columns for `n` transitions, in the buffer's element type. */
  emptyColumns(n: number): Record<ReplayColumn, Floats> {
    const make = (len: number): Floats =>
      this.dtype === 'float32' ? new Float32Array(len) : new Float64Array(len);
    const w = this.widths;
    return {
      obs: make(n * w.obs),
      action: make(n * w.action),
      reward: make(n * w.reward),
      nextObs: make(n * w.nextObs),
      terminal: make(n * w.terminal),
    };
  }

  /** Row `from` of the columns `src` into row `to` of `dst` (either may be this buffer). */
  private copyRow(
    from: number,
    to: number,
    src: Readonly<Record<ReplayColumn, ArrayLike<number>>>,
    dst: Record<ReplayColumn, Floats>,
  ): void {
    const { obsDim: o, actDim: a } = this;
    for (let j = 0; j < o; j++) {
      dst.obs[to * o + j] = src.obs[from * o + j]!;
      dst.nextObs[to * o + j] = src.nextObs[from * o + j]!;
    }
    for (let j = 0; j < a; j++) dst.action[to * a + j] = src.action[from * a + j]!;
    dst.reward[to] = src.reward[from]!;
    dst.terminal[to] = src.terminal[from]!;
  }

  /** Checks a saved state against this buffer's shape and its columns against the state. */
  private checkState(state: ReplayBufferState, cols: Record<string, ArrayLike<number>>, who: string): void {
    if (state.capacity !== this.capacity || state.obsDim !== this.obsDim || state.actDim !== this.actDim)
      throw new RangeError(
        `${who}: the state is for capacity ${state.capacity}, obsDim ${state.obsDim}, actDim ${state.actDim}; this buffer has ${this.capacity}, ${this.obsDim}, ${this.actDim}`,
      );
    const n = state.size;
    if (!Number.isInteger(n) || n < 0 || n > this.capacity)
      throw new RangeError(`${who}: size ${n} is outside [0, ${this.capacity}]`);
    if (!Number.isInteger(state.position) || state.position < 0 || state.position >= this.capacity)
      throw new RangeError(`${who}: position ${state.position} is outside [0, ${this.capacity})`);
    if (!Number.isInteger(state.added) || state.added < n || state.position !== state.added % this.capacity)
      throw new RangeError(
        `${who}: added ${state.added} does not fit size ${n} and position ${state.position} (capacity ${this.capacity})`,
      );
    for (const [name, width] of Object.entries(this.widths)) {
      const c = cols[name];
      if (!c || c.length !== n * width)
        throw new RangeError(
          `${who}: column '${name}' must hold ${n * width} values, got ${c?.length ?? 'none'}`,
        );
    }
  }
}
