/**
 * Base of every wrapper: forwards everything to the wrapped environment; subclasses
 * override what they change. `unwrapped` reaches the innermost environment.
 */
import type { Env, ResetOptions, ResetResult, StepResult } from '../core/env.js';
import type { Box } from '../core/space.js';

export class Wrapper<E extends Env = Env> implements Env {
  constructor(readonly env: E) {}

  get id(): string {
    return this.env.id;
  }
  get observationSpace(): Box {
    return this.env.observationSpace;
  }
  get actionSpace(): Box {
    return this.env.actionSpace;
  }
  get dt(): number {
    return this.env.dt;
  }
  get closed(): boolean {
    return this.env.closed;
  }
  /** The innermost environment. */
  get unwrapped(): Env {
    let e: Env = this.env;
    while (e instanceof Wrapper) e = e.env;
    return e;
  }

  reset(options?: ResetOptions): ResetResult {
    return this.env.reset(options);
  }
  step(action: ArrayLike<number>): StepResult {
    return this.env.step(action);
  }
  close(): void {
    this.env.close();
  }
}
