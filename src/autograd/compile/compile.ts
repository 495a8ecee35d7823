/**
 * sr.compile(fn): trace once per input signature, replay a planned program after that.
 *
 *   const step = sr.compile((batch) => { ...loss, backward, opt.step()...; return stats; });
 *   step(batch); // traces (runs eagerly, recording kernels), returns eager results
 *   step(batch); // replays: the same kernels on preallocated buffers
 *
 * Arguments and results are trees (tree.ts) of tensors and static values; a new static
 * value or tensor shape/dtype traces again (up to `cacheSize` programs, least recently
 * used dropped). Tensors the function captures from its closure are read by reference,
 * so in-place changes to them (optimizer steps, Polyak averaging) are seen; randomness
 * drawn from a Generator is drawn again on every call, from the same stream, so on the
 * CPU a replay equals the eager function bit for bit. Runs eagerly instead (same
 * results) when SR2L_COMPILE=0, inside another trace, in anomaly mode, when an argument
 * requires grad while grad mode is on (a compiled call is not differentiable from
 * outside), or on a backend without compiled replay (Backend.writeNextInto). On WebGPU a
 * replay issues the same dispatches into planned buffers.
 */
import type { Backend, Storage } from '../../kernels/backend.js';
import { isAnomalyMode } from '../anomaly.js';
import { getDefaultBackend } from '../default-backend.js';
import { isGradEnabled } from '../grad-mode.js';
import { Tensor } from '../tensor.js';
import { activeTrace } from './hooks.js';
import { planToDot } from './dot.js';
import { explainPlan } from './explain.js';
import { fusePlan } from './fuse.js';
import { buildPlan } from './plan.js';
import { Program } from './replay.js';
import { CompileError, traceCall } from './trace.js';
import { flatten, unflatten } from './tree.js';

export interface CompileOptions {
  /** Programs kept, one per input signature (default 8); the least recently used goes first. */
  cacheSize?: number;
  /**
   * 'copy' (default): each call returns fresh tensors. 'reuse': the returned tensors are
   * the program's own and are overwritten by the next call (no allocation per call).
   */
  outputs?: 'copy' | 'reuse';
  /** Shown in explain() and errors (default: the function's name). */
  name?: string;
  /**
   * Fuse runs of elementwise ops into one generated kernel (a JavaScript loop on the CPU,
   * WGSL on WebGPU; default false). Results may differ from unfused ones by rounding: see
   * docs/compile.md for the tolerance.
   */
  fuse?: boolean;
}

interface Entry {
  signature: string;
  program: Program;
  skeleton: unknown;
  shapes: (readonly number[])[];
  /** with outputs 'reuse': the tensors returned every call (null where an output is an input) */
  reused: (Tensor | null)[];
}

export interface CompiledFunction<A extends unknown[], R> {
  (...args: A): R;
  /** The plan of each cached signature: steps with shapes and call sites, buffers, bytes. */
  explain(): string;
  /** The most recently used program as Graphviz DOT (also `sr.toDot(compiled)`). */
  toDot(): string;
  /** Drops every program (they trace again on their next call) and frees their buffers. */
  reset(): void;
  /** Traces so far (a new signature, or after reset). */
  readonly traces: number;
  /** Calls answered by a replay. */
  readonly replays: number;
}

/** SR2L_COMPILE=0 runs compiled functions eagerly (for comparison and debugging). */
export function compileEnabled(): boolean {
  const v = globalThis.process?.env?.SR2L_COMPILE;
  if (v === undefined || v === '' || v === '1') return true;
  if (v === '0') return false;
  throw new RangeError(`SR2L_COMPILE='${v}' must be 0 (run eagerly) or 1 (compile, the default)`);
}

/** A fresh copy of a program's result (on the device for asynchronous backends). */
function copyOf(backend: Backend, s: Storage): Storage {
  // readSync may return a view into WebAssembly memory that upload's allocation can grow
  // (detaching the view): copy it out first
  if (backend.synchronous) return backend.upload(backend.readSync(s).slice());
  const c = backend.fill(s.dtype, s.size, 0);
  backend.assign(c, s);
  return c;
}

export function compile<A extends unknown[], R>(
  fn: (...args: A) => R,
  opts: CompileOptions = {},
): CompiledFunction<A, R> {
  const cacheSize = opts.cacheSize ?? 8;
  if (!Number.isInteger(cacheSize) || cacheSize < 1)
    throw new RangeError(`compile: cacheSize must be an integer ≥ 1, got ${cacheSize}`);
  const mode = opts.outputs ?? 'copy';
  if (mode !== 'copy' && mode !== 'reuse')
    throw new RangeError(`compile: outputs must be 'copy' or 'reuse', got '${String(mode)}'`);
  const who = opts.name ?? (fn.name || 'anonymous');
  const cache = new Map<string, Entry>();
  let traces = 0;
  let replays = 0;

  const eagerly = (tensors: readonly Tensor[], backend: Backend): boolean =>
    !compileEnabled() ||
    activeTrace() !== null ||
    isAnomalyMode() ||
    backend.writeNextInto === undefined ||
    (isGradEnabled() && tensors.some((t) => t.requiresGrad));

  const trace = (args: A, key: string, signature: string, inputs: readonly Tensor[], backend: Backend): R => {
    const { result, ops } = traceCall(backend, who, () => fn(...args));
    const out = flatten(result, 'the result');
    for (const t of out.tensors) {
      if (t.backend !== backend)
        throw new CompileError(
          `compile(${who}): a result lives on ${t.backend.name}, the inputs on ${backend.name}`,
        );
    }
    const planned = buildPlan(
      ops,
      inputs.map((t) => t.storage),
      out.tensors.map((t) => t.storage),
    );
    const plan =
      opts.fuse === true && backend.fusedElementwise !== undefined
        ? fusePlan(
            planned,
            inputs.map((t) => t.size),
            backend.fusionPays?.bind(backend),
          )
        : planned;
    const program = new Program(plan, backend, who);
    const shapes = out.tensors.map((t) => t.shape.slice());
    const reused = plan.outputs.map((r, i) =>
      mode === 'reuse' && r.kind !== 'input'
        ? new Tensor(program.storageOf(r, []), shapes[i]!, backend)
        : null,
    );
    cache.set(key, { signature, program, skeleton: out.skeleton, shapes, reused });
    traces++;
    if (cache.size > cacheSize) {
      const oldest = cache.keys().next().value as string;
      cache.get(oldest)!.program.dispose();
      cache.delete(oldest);
    }
    return result;
  };

  const replay = (e: Entry, inputs: readonly Tensor[]): R => {
    const storages: Storage[] = inputs.map((t) => t.storage);
    e.program.call(storages);
    replays++;
    const backend = e.program.backend;
    const outs = e.program.plan.outputs.map((r, i) => {
      const s = e.program.storageOf(r, storages);
      const reused = e.reused[i];
      if (reused) return reused;
      if (mode === 'reuse') return new Tensor(s, e.shapes[i]!, backend);
      return new Tensor(copyOf(backend, s), e.shapes[i]!, backend);
    });
    return unflatten(e.skeleton, outs) as R;
  };

  const compiled = (...args: A): R => {
    const flat = flatten(args, 'argument ');
    const backend = flat.tensors[0]?.backend ?? getDefaultBackend();
    if (eagerly(flat.tensors, backend)) return fn(...args);
    for (const t of flat.tensors) {
      t.assertAlive(`compile(${who})`);
      if (t.backend !== backend)
        throw new CompileError(
          `compile(${who}): arguments live on different backends (${backend.name} and ${t.backend.name})`,
        );
    }
    const e = cache.get(flat.key);
    if (e === undefined) return trace(args, flat.key, flat.signature, flat.tensors, backend);
    if (cacheSize > 1) {
      // most recently used last, so eviction takes the first key
      cache.delete(flat.key);
      cache.set(flat.key, e);
    }
    return replay(e, flat.tensors);
  };

  return Object.defineProperties(compiled, {
    explain: {
      value: (): string =>
        cache.size === 0
          ? `compiled ${who}: not traced yet${compileEnabled() ? '' : ' (SR2L_COMPILE=0: runs eagerly)'}`
          : [...cache.values()].map((e) => explainPlan(who, e.signature, e.program)).join('\n'),
    },
    toDot: {
      value: (): string => {
        const last = [...cache.values()].pop();
        if (last === undefined)
          throw new Error(`compile(${who}): toDot before the first call: nothing traced yet`);
        return planToDot(who, last.program);
      },
    },
    reset: {
      value: (): void => {
        for (const e of cache.values()) e.program.dispose();
        cache.clear();
      },
    },
    traces: { get: () => traces },
    replays: { get: () => replays },
  }) as CompiledFunction<A, R>;
}
