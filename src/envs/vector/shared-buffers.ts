/**
 * The memory a `WorkerVectorEnv` shares with its workers (one SharedArrayBuffer): actions
 * in, observations/rewards/flags/final observations/info values out, and per-worker
 * control words. Workers block in `Atomics.wait` for a request and the main thread
 * awaits `Atomics.waitAsync` for the answer, so a step costs no message passing.
 *
 * Info objects travel as a fixed table of keys (those the environment reports, plus the
 * episode statistics): a value slot and a presence flag per (env, key).
 */

export interface SharedLayout {
  numEnvs: number;
  numWorkers: number;
  obsDim: number;
  actDim: number;
  infoKeys: string[];
}

/** Control words per worker: request sequence, command, done sequence, status. */
export const CONTROL_STRIDE = 4;
export const REQ_SEQ = 0;
export const COMMAND = 1;
export const DONE_SEQ = 2;
export const STATUS = 3;

/** Apply: each copy runs its own entry of `ops` (no auto-reset), see `CopyOp` */
export const Command = { Reset: 1, Step: 2, Close: 3, Apply: 4 } as const;
/** Per-copy operation of an Apply round. */
export const CopyOp = { Idle: 0, Reset: 1, Step: 2 } as const;
export const Status = { Ok: 0, Error: 1 } as const;

export class SharedBuffers {
  readonly control: Int32Array;
  /** per-worker reset seed (NaN: no seed) */
  readonly seeds: Float64Array;
  /** per-copy reset seed of an Apply round (NaN: no seed) */
  readonly copySeeds: Float64Array;
  readonly actions: Float64Array;
  readonly obs: Float64Array;
  readonly rewards: Float64Array;
  readonly finalObs: Float64Array;
  readonly info: Float64Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  readonly hasFinal: Uint8Array;
  readonly infoSet: Uint8Array;
  /** per-copy `CopyOp` of an Apply round */
  readonly ops: Uint8Array;

  constructor(
    readonly layout: SharedLayout,
    readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(SharedBuffers.bytes(layout)),
  ) {
    const { numEnvs: n, numWorkers: w, obsDim, actDim, infoKeys } = layout;
    const k = infoKeys.length;
    let at = 0;
    const f64 = (len: number) => {
      const a = new Float64Array(buffer, at, len);
      at += 8 * len;
      return a;
    };
    this.seeds = f64(w);
    this.copySeeds = f64(n);
    this.actions = f64(n * actDim);
    this.obs = f64(n * obsDim);
    this.rewards = f64(n);
    this.finalObs = f64(n * obsDim);
    this.info = f64(n * k);
    this.control = new Int32Array(buffer, at, w * CONTROL_STRIDE);
    at += 4 * w * CONTROL_STRIDE;
    const u8 = (len: number) => {
      const a = new Uint8Array(buffer, at, len);
      at += len;
      return a;
    };
    this.terminated = u8(n);
    this.truncated = u8(n);
    this.hasFinal = u8(n);
    this.infoSet = u8(n * k);
    this.ops = u8(n);
  }

  static bytes(l: SharedLayout): number {
    const k = l.infoKeys.length;
    const f64 = l.numWorkers + l.numEnvs * (l.actDim + 2 * l.obsDim + 2 + k);
    return 8 * f64 + 4 * l.numWorkers * CONTROL_STRIDE + l.numEnvs * (4 + k);
  }
}
