/**
 * Environments that step together: a population's members each own one environment of a
 * group, call it as usual, and the group runs the calls queued by all members at once (on
 * worker threads: `WorkerEnvGroup` in vector/worker-env-group.ts, Node only). A member's
 * calls reach its own environment in its own order, so each environment sees exactly the
 * calls of its single run.
 *
 * Each environment is an `Env` (the synchronous calls run alone, for rare uses such as
 * replaying an episode on resume) plus `resetAsync`/`stepAsync`, which queue the call for
 * the group's next round. Who decides when a round runs: the group's owner, by `flush()`
 * (after every member has queued, or when `onRequest` says a member is waiting).
 */
import type { Env, ResetOptions, ResetResult, StepResult } from './env.js';

/** An environment whose calls may also be queued for its group's next round. */
export interface GroupEnv extends Env {
  resetAsync(options?: ResetOptions): Promise<ResetResult>;
  stepAsync(action: ArrayLike<number>): Promise<StepResult>;
}

export interface EnvGroup {
  readonly size: number;
  /** environment i of the group */
  env(i: number): GroupEnv;
  /** the environments whose call waits for the next round */
  readonly pending: ReadonlySet<number>;
  /** runs every queued call at once; each caller's promise has settled when it resolves */
  flush(): Promise<void>;
  /** called whenever a call is queued (a lockstep scheduler flushes once everyone waits) */
  onRequest: (() => void) | null;
  close(): Promise<void>;
}

/** Builds a group of `count` copies of `id` (every copy made with `envOptions`). */
export type EnvGroupFactory<O = unknown> = (id: string, count: number, envOptions: O) => Promise<EnvGroup>;

/** reset/step as awaitables: queued in the group where `env` belongs to one, else the env's own. */
export interface EnvCalls {
  reset(options?: ResetOptions): ResetResult | Promise<ResetResult>;
  step(action: ArrayLike<number>): StepResult | Promise<StepResult>;
}

export function envCalls(env: Env): EnvCalls {
  if (isGroupEnv(env)) return { reset: (o) => env.resetAsync(o), step: (a) => env.stepAsync(a) };
  return { reset: (o) => env.reset(o), step: (a) => env.step(a) };
}

function isGroupEnv(env: Env): env is GroupEnv {
  const g = env as Partial<GroupEnv>;
  return typeof g.resetAsync === 'function' && typeof g.stepAsync === 'function';
}
