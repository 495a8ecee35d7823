/**
 * Tracing: run the function once, eagerly, while every kernel call on its backend is
 * recorded (method, arguments, the storage it returned, where in user code it came
 * from). The hook is the Backend interface itself, so forward ops, the backward passes of
 * grad/vjp/hvp/backward() and in-place optimizer kernels are all seen the same way.
 * What a replay could not repeat fails here, naming the call site.
 */
import type { Backend, Storage } from '../../kernels/backend.js';
import type { TypedArray } from '../../kernels/dtype.js';
import { callSite, KERNELS } from '../../kernels/profile.js';
import { withTrace, type TraceSink } from './hooks.js';

/** An error a compiled function raises at trace time (or at a call, for captured tensors). */
export class CompileError extends Error {
  override name = 'CompileError';
}

export type TracedOp =
  /** a Backend kernel call; `out` is the storage it returned (null for in-place kernels) */
  | { kind: 'kernel'; kernel: string; args: unknown[]; out: Storage | null; site: string }
  /** a seeded draw uploaded as a tensor: a replay draws again into the same buffer */
  | { kind: 'draw'; refill: (into: TypedArray) => void; out: Storage; site: string }
  /** host-side bookkeeping to repeat on every call */
  | { kind: 'host'; action: () => void; site: string };

/** Argument positions each in-place kernel writes (every other storage argument is read). */
export const WRITES: Readonly<Record<string, readonly number[]>> = {
  adamUpdate: [0, 2, 3],
  axpy: [0],
  assign: [0],
};

export function isStorage(x: unknown): x is Storage {
  return typeof x === 'object' && x !== null && 'disposed' in x && 'dtype' in x && 'size' in x;
}

/** Storages among a kernel's arguments (concat takes an array of them). */
export function storageArgs(args: readonly unknown[]): Storage[] {
  const r: Storage[] = [];
  for (const a of args) {
    if (isStorage(a)) r.push(a);
    else if (Array.isArray(a)) for (const x of a) if (isStorage(x)) r.push(x);
  }
  return r;
}

type Method = (...args: unknown[]) => unknown;

/** Runs `run` on `backend` while recording its kernel calls; `who` names the function in errors. */
export function traceCall<T>(backend: Backend, who: string, run: () => T): { result: T; ops: TracedOp[] } {
  const ops: TracedOp[] = [];
  let pendingDraw: ((into: TypedArray) => void) | null = null;
  const sink: TraceSink = {
    paused: 0,
    draw(refill) {
      pendingDraw = refill;
    },
    host(action) {
      ops.push({ kind: 'host', action, site: callSite('host') });
    },
  };
  const target = backend as unknown as Record<string, Method>;
  const saved = new Map<string, Method | undefined>();
  const own = (name: string): boolean => Object.prototype.hasOwnProperty.call(target, name);
  const patch = (name: string, wrap: (orig: Method) => Method): void => {
    saved.set(name, own(name) ? target[name] : undefined);
    target[name] = wrap(target[name]!.bind(backend));
  };
  // a kernel method may call another (WebGPU's fill uploads): only the outermost call counts
  let depth = 0;
  const inner = (orig: Method, args: unknown[]): unknown => {
    depth++;
    try {
      return orig(...args);
    } finally {
      depth--;
    }
  };
  for (const name of KERNELS) {
    patch(name, (orig) => (...args: unknown[]) => {
      if (sink.paused > 0 || depth > 0) return inner(orig, args);
      if (name === 'upload') {
        const refill = pendingDraw;
        pendingDraw = null;
        if (refill === null)
          throw new CompileError(
            `compile(${who}): a tensor was made from JavaScript data while tracing (${callSite(name)}); its values would be frozen into the compiled program. Make it outside and pass it as an argument, use sr.full/zeros for constants, or draw it from a Generator (draws are replayed)`,
          );
        const out = inner(orig, args) as Storage;
        ops.push({ kind: 'draw', refill, out, site: callSite(name) });
        return out;
      }
      const r = inner(orig, args);
      ops.push({ kind: 'kernel', kernel: name, args, out: isStorage(r) ? r : null, site: callSite(name) });
      return r;
    });
  }
  // data() reads inside a promise, so the error is also kept and raised when fn returns
  let readError: CompileError | null = null;
  for (const name of ['read', 'readSync']) {
    patch(name, (orig) => (...args: unknown[]) => {
      if (sink.paused > 0) return orig(...args);
      throw (readError = new CompileError(
        `compile(${who}): the function read tensor values back to JavaScript while tracing (${callSite(name).replace(/^\S+ ← /, '')}). item(), dataSync(), toArray() and data() cannot be compiled, nor can control flow that depends on tensor values: return the tensor and read it after the call, or keep that part outside the compiled function`,
      ));
    });
  }
  try {
    const result = withTrace(sink, run);
    if (readError !== null) throw readError;
    if (result instanceof Promise)
      throw new CompileError(
        `compile(${who}): the function returned a Promise; compiled functions are synchronous`,
      );
    return { result, ops };
  } finally {
    for (const [name, orig] of saved) {
      if (orig === undefined) delete target[name];
      else target[name] = orig;
    }
  }
}
