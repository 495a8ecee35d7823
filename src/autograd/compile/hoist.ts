/**
 * Hoisting (compile's `hoist` option): the traced kernels that read only the hoisted
 * arguments, captured tensors and constants form a prefix program whose results are
 * kept between calls; the rest reads them as extra inputs. TRPO's Fisher-vector product
 * is the case: the KL's forward and first backward pass depend on the iteration's states
 * and the parameters, not on the tangent, so conjugate gradient's ten products share them
 * (what sr.hvpAt does eagerly), while the program itself is traced once per trainer.
 */
import type { Storage } from '../../kernels/backend.js';
import { CompileError, storageArgs, WRITES, type TracedOp } from './trace.js';

export interface HoistSplit {
  /** the kernels that depend on hoisted inputs, captured tensors and constants only */
  prefix: TracedOp[];
  rest: TracedOp[];
  /** prefix results the rest (or the function's result) reads: the prefix's outputs */
  bridge: Storage[];
}

/**
 * Splits a trace; `hoisted` are the storages of the hoisted arguments, `inputs` all
 * argument storages. Programs that write in place, draw or run host actions are refused:
 * their prefix would not be safe to skip.
 */
export function splitHoisted(
  who: string,
  ops: readonly TracedOp[],
  inputs: readonly Storage[],
  hoisted: ReadonlySet<Storage>,
  outputs: readonly Storage[],
): HoistSplit {
  const varying = new Set(inputs.filter((s) => !hoisted.has(s)));
  const made = new Set<Storage>();
  const inPrefix = new Set<Storage>();
  const prefix: TracedOp[] = [];
  const rest: TracedOp[] = [];
  for (const op of ops) {
    if (op.kind !== 'kernel' || WRITES[op.kernel] !== undefined)
      throw new CompileError(
        `compile(${who}): hoist needs a function without in-place writes, draws or host actions; ${op.kind === 'kernel' ? op.kernel : `a ${op.kind}`} at ${op.site}`,
      );
    // a storage no traced kernel made and no varying argument holds is hoisted or captured
    const fixed = (s: Storage): boolean => inPrefix.has(s) || (!made.has(s) && !varying.has(s));
    if (storageArgs(op.args).every(fixed)) {
      prefix.push(op);
      if (op.out) inPrefix.add(op.out);
    } else rest.push(op);
    if (op.out) made.add(op.out);
  }
  const bridge = new Set<Storage>();
  for (const op of rest)
    for (const s of op.kind === 'kernel' ? storageArgs(op.args) : []) if (inPrefix.has(s)) bridge.add(s);
  for (const s of outputs) if (inPrefix.has(s)) bridge.add(s);
  return { prefix, rest, bridge: [...bridge] };
}
