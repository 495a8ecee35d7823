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
import { splitHoisted } from './hoist.js';
import { buildPlan, type Plan } from './plan.js';
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
  /**
   * Argument positions whose tensors stay the same over many calls (TRPO's states during
   * conjugate gradient). The kernels that read only them, captured tensors and constants
   * run on the first replay and again only when one of these arguments is passed another
   * tensor or after `refresh()` (call it after changing a captured tensor in place); the
   * other kernels run on every call. Refused (at trace time) for functions that write in
   * place, draw random numbers or run host actions.
   */
  hoist?: readonly number[];
}

/** The hoisted part of a program (hoist.ts) and when it last ran. */
interface Hoisted {
  program: Program;
  /** flat argument slots of the hoisted arguments */
  slots: number[];
  /** the prefix's results, passed to the main program after the arguments */
  bridge: Storage[];
  /** the hoisted arguments' storages when the prefix last ran; null: run it on the next call */
  ranWith: Storage[] | null;
}

interface Entry {
  signature: string;
  program: Program;
  skeleton: unknown;
  shapes: (readonly number[])[];
  /** with outputs 'reuse': the tensors returned every call (null where an output is an input) */
  reused: (Tensor | null)[];
  hoisted: Hoisted | null;
}

export interface CompiledFunction<A extends unknown[], R> {
  (...args: A): R;
  /** The plan of each cached signature: steps with shapes and call sites, buffers, bytes. */
  explain(): string;
  /** The most recently used program as Graphviz DOT (also `sr.toDot(compiled)`). */
  toDot(): string;
  /** Drops every program (they trace again on their next call) and frees their buffers. */
  reset(): void;
  /** With `hoist`: the hoisted kernels run again on the next call (captured tensors changed). */
  refresh(): void;
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

function dispose(e: Entry): void {
  e.program.dispose();
  e.hoisted?.program.dispose();
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
  const hoist = opts.hoist ?? [];
  if (hoist.some((i) => !Number.isInteger(i) || i < 0))
    throw new RangeError(
      `compile: hoist must list argument positions (integers ≥ 0), got [${hoist.join(', ')}]`,
    );
  // the flat tensor slots of the hoisted arguments (flatten walks the arguments in order)
  const hoistedSlots = (args: A): number[] => {
    const slots: number[] = [];
    let at = 0;
    args.forEach((a, i) => {
      const n = flatten(a, `argument ${i}`).tensors.length;
      if (hoist.includes(i)) for (let k = 0; k < n; k++) slots.push(at + k);
      at += n;
    });
    return slots;
  };
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
    const storages = inputs.map((t) => t.storage);
    const outputs = out.tensors.map((t) => t.storage);
    const fused = (p: Plan, sizes: number[]): Plan =>
      opts.fuse === true && backend.fusedElementwise !== undefined
        ? fusePlan(p, sizes, backend.fusionPays?.bind(backend))
        : p;
    const sizes = inputs.map((t) => t.size);
    let hoisted: Hoisted | null = null;
    let main = ops;
    let mainInputs = storages;
    if (hoist.length > 0) {
      const slots = hoistedSlots(args);
      const split = splitHoisted(who, ops, storages, new Set(slots.map((i) => storages[i]!)), outputs);
      const prefix = new Program(fused(buildPlan(split.prefix, storages, split.bridge), sizes), backend, who);
      const bridge = prefix.plan.outputs.map((r) => prefix.storageOf(r, storages));
      hoisted = { program: prefix, slots, bridge, ranWith: null };
      main = split.rest;
      mainInputs = [...storages, ...split.bridge];
      sizes.push(...split.bridge.map((s) => s.size));
    }
    const plan = fused(buildPlan(main, mainInputs, outputs), sizes);
    const program = new Program(plan, backend, who);
    const shapes = out.tensors.map((t) => t.shape.slice());
    const reused = plan.outputs.map((r, i) =>
      mode === 'reuse' && r.kind !== 'input'
        ? new Tensor(program.storageOf(r, []), shapes[i]!, backend)
        : null,
    );
    cache.set(key, { signature, program, skeleton: out.skeleton, shapes, reused, hoisted });
    traces++;
    if (cache.size > cacheSize) {
      const oldest = cache.keys().next().value as string;
      dispose(cache.get(oldest)!);
      cache.delete(oldest);
    }
    return result;
  };

  const replay = (e: Entry, inputs: readonly Tensor[]): R => {
    let storages: Storage[] = inputs.map((t) => t.storage);
    const h = e.hoisted;
    if (h !== null) {
      if (h.ranWith === null || h.slots.some((slot, i) => storages[slot] !== h.ranWith![i])) {
        h.program.call(storages);
        h.ranWith = h.slots.map((slot) => storages[slot]!);
      }
      storages = [...storages, ...h.bridge];
    }
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

  const where = `compile(${who})`;
  // the most recently used key: already last in the cache's order
  let lastKey: string | null = null;
  const compiled = (...args: A): R => {
    // every call: only the tensors and the key (a trace builds the signature)
    const flat = flatten(args, 'argument ', false);
    const backend = flat.tensors[0]?.backend ?? getDefaultBackend();
    if (eagerly(flat.tensors, backend)) return fn(...args);
    for (const t of flat.tensors) {
      t.assertAlive(where);
      if (t.backend !== backend)
        throw new CompileError(
          `compile(${who}): arguments live on different backends (${backend.name} and ${t.backend.name})`,
        );
    }
    const e = cache.get(flat.key);
    if (e === undefined) {
      lastKey = flat.key;
      return trace(args, flat.key, flatten(args, 'argument ').signature, flat.tensors, backend);
    }
    if (cacheSize > 1 && lastKey !== flat.key) {
      // most recently used last, so eviction takes the first key
      cache.delete(flat.key);
      cache.set(flat.key, e);
      lastKey = flat.key;
    }
    return replay(e, flat.tensors);
  };

  return Object.defineProperties(compiled, {
    explain: {
      value: (): string =>
        cache.size === 0
          ? `compiled ${who}: not traced yet${compileEnabled() ? '' : ' (SR2L_COMPILE=0: runs eagerly)'}`
          : [...cache.values()]
              .map((e) =>
                [
                  ...(e.hoisted
                    ? [explainPlan(`${who} (hoisted part)`, e.signature, e.hoisted.program)]
                    : []),
                  explainPlan(who, e.signature, e.program),
                ].join('\n'),
              )
              .join('\n'),
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
        for (const e of cache.values()) dispose(e);
        cache.clear();
      },
    },
    refresh: {
      value: (): void => {
        for (const e of cache.values()) if (e.hoisted) e.hoisted.ranWith = null;
      },
    },
    traces: { get: () => traces },
    replays: { get: () => replays },
  }) as CompiledFunction<A, R>;
}
