/**
 * The compiled programs of a TRPO policy step (the single trainer's and a population's
 * batched step), by name, for explain() and tests: each traces at the first iteration and
 * only replays after.
 */
import type { CompiledFunction } from '../../autograd/index.js';

/** What a compiled step shows of itself. */
export type CompiledStep = Pick<CompiledFunction<never[], unknown>, 'explain' | 'traces' | 'replays'>;

export class CompiledSteps {
  private readonly byName = new Map<string, CompiledStep>();

  /** Registers `step` under `name` and returns it (for field initializers). */
  add<F extends CompiledStep>(name: string, step: F): F {
    this.byName.set(name, step);
    return step;
  }

  all(): Record<string, CompiledStep> {
    return Object.fromEntries(this.byName);
  }
}
