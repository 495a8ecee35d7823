/**
 * Input checking and episode bookkeeping shared by every concrete environment, so each
 * environment only writes its physics (`resetState`, `advance`).
 */
import { Rng } from '../../util/rng.js';
import type { Env, ResetOptions, ResetResult, StepInfo, StepResult } from './env.js';
import { type Box, boxSize } from './space.js';

export abstract class BaseEnv implements Env {
  abstract readonly observationSpace: Box;
  abstract readonly actionSpace: Box;
  abstract readonly dt: number;
  protected rng: Rng | null = null;
  private isClosed = false;
  private needsReset = true;
  private hasReset = false;

  constructor(readonly id: string) {}

  get closed(): boolean {
    return this.isClosed;
  }

  reset(options: ResetOptions = {}): ResetResult {
    this.assertOpen('reset');
    if (options.seed !== undefined) this.rng = new Rng(options.seed);
    // Unseeded first reset: entropy from the OS, like Gymnasium; runs should pass a seed.
    // Web Crypto (a global in Node and browsers), so environments need no Node built-in.
    else if (this.rng === null) this.rng = new Rng(crypto.getRandomValues(new Uint32Array(1))[0]!);
    const info = this.resetState(this.rng);
    this.needsReset = false;
    this.hasReset = true;
    return { obs: this.observation(), info };
  }

  step(action: ArrayLike<number>): StepResult {
    this.assertOpen('step');
    if (this.needsReset) {
      throw new Error(
        this.hasReset
          ? `${this.id}: step() after the episode terminated; call reset() first`
          : `${this.id}: step() before reset(); call reset() first`,
      );
    }
    this.checkAction(action);
    const r = this.advance(action);
    if (r.terminated) this.needsReset = true;
    return {
      obs: this.observation(),
      reward: r.reward,
      terminated: r.terminated,
      truncated: false,
      info: r.info,
    };
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.release();
  }

  /** Rejects a wrong length or a non-finite entry before anything touches the state. */
  protected checkAction(action: ArrayLike<number>): void {
    const n = boxSize(this.actionSpace);
    if (action === null || typeof action !== 'object' || typeof action.length !== 'number') {
      throw new TypeError(`${this.id}: action must be an array of ${n} numbers, got ${String(action)}`);
    }
    if (action.length !== n) {
      throw new RangeError(`${this.id}: action has length ${action.length}, expected ${n}`);
    }
    for (let i = 0; i < n; i++) {
      const v = action[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new RangeError(`${this.id}: action[${i}] is ${String(v)}; every entry must be a finite number`);
      }
    }
  }

  private assertOpen(what: string): void {
    if (this.isClosed) throw new Error(`${this.id}: ${what}() on a closed environment`);
  }

  /** Sets the initial state (with noise from `rng`); returns the reset info. */
  protected abstract resetState(rng: Rng): StepInfo;
  /** Applies a checked action and advances one env step. */
  protected abstract advance(action: ArrayLike<number>): {
    reward: number;
    terminated: boolean;
    info: StepInfo;
  };
  /** Writes the current observation into the reused buffer and returns it. */
  protected abstract observation(): Float64Array;
  /** Frees native resources (called once). */
  protected release(): void {}
}
