/**
 * Planning: from the traced calls to a program over numbered buffers.
 *  1. constants: fills never written in place, and pure kernels whose inputs are all
 *     constants, keep their traced result and leave the program (computed by the same
 *     kernel, so bit-identical);
 *  2. dead code: kernels whose result reaches no output, in-place write, draw or host
 *     action are dropped;
 *  3. buffers by liveness: each remaining result gets a buffer of its dtype and size that
 *     no live value holds; a value's buffer is free again after its last reader.
 * Storages the trace read but did not make are the function's inputs (by position) or
 * captured tensors, read by reference on every call (so in-place updates to them, such
 * as optimizer steps and Polyak averaging, are seen, as in eager mode).
 */
import type { FusedSpec, Storage } from '../../kernels/backend.js';
import type { DType, TypedArray } from '../../kernels/dtype.js';
import { isStorage, storageArgs, WRITES, type TracedOp } from './trace.js';

/** Where a step's operand lives on every call. */
export type Ref =
  | { kind: 'input'; slot: number }
  | { kind: 'buffer'; index: number }
  /** a captured tensor (read by reference) or a constant made at trace time */
  | { kind: 'fixed'; storage: Storage; constant: boolean };

export type PlannedArg = unknown; // a Ref marker object, an array of them (concat), or a plain value

export interface RefArg {
  ref: Ref;
}

/** A fused run of elementwise steps (fuse.ts): one Backend.fusedElementwise call. */
export interface FusedStep {
  kind: 'fused';
  /** operand refs, in the spec's input order */
  ins: Ref[];
  /** buffers written, in the spec's output order */
  outs: number[];
  spec: FusedSpec;
  /** the fused ops, for explain() */
  ops: string[];
  site: string;
}

export type Step =
  | FusedStep
  | { kind: 'kernel'; kernel: string; args: PlannedArg[]; out: number; site: string }
  | { kind: 'fill'; value: number; out: number; site: string }
  | { kind: 'draw'; refill: (into: TypedArray) => void; out: number; site: string }
  | { kind: 'host'; action: () => void; site: string };

export interface BufferSpec {
  dtype: DType;
  size: number;
  /** values (traced results) that live in this buffer over the program */
  values: number;
}

export interface Plan {
  steps: Step[];
  buffers: BufferSpec[];
  outputs: Ref[];
  /** captured storages with the call site of their first reader */
  captured: { storage: Storage; site: string }[];
  traced: number;
  constants: number;
  dead: number;
  /** traced results that became buffer values */
  values: number;
}

export function isRefArg(x: unknown): x is RefArg {
  return typeof x === 'object' && x !== null && 'ref' in x && !isStorage(x);
}

function writesOf(op: TracedOp): Storage[] {
  if (op.kind !== 'kernel') return [];
  const pos = WRITES[op.kernel];
  return pos ? pos.map((i) => op.args[i] as Storage) : [];
}

function readsOf(op: TracedOp): Storage[] {
  return op.kind === 'kernel' ? storageArgs(op.args) : [];
}

export function buildPlan(
  ops: readonly TracedOp[],
  inputs: readonly Storage[],
  outputs: readonly Storage[],
): Plan {
  const inputSlot = new Map<Storage, number>();
  inputs.forEach((s, i) => {
    if (!inputSlot.has(s)) inputSlot.set(s, i);
  });
  const written = new Set<Storage>();
  for (const op of ops) for (const s of writesOf(op)) written.add(s);

  // 1. constants
  const constant = new Set<Storage>();
  const keep = ops.map(() => true);
  ops.forEach((op, i) => {
    if (op.kind !== 'kernel' || op.out === null || written.has(op.out) || WRITES[op.kernel]) return;
    if (readsOf(op).every((s) => constant.has(s))) {
      constant.add(op.out);
      keep[i] = false;
    }
  });
  const constants = keep.filter((k) => !k).length;

  // 2. dead code, walking backwards from what must happen
  const needed = new Set<Storage>(outputs);
  for (let i = ops.length - 1; i >= 0; i--) {
    const op = ops[i]!;
    if (!keep[i]) continue;
    const effect = op.kind !== 'kernel' || WRITES[op.kernel] !== undefined;
    if (!effect && !(op.out !== null && needed.has(op.out))) {
      keep[i] = false;
      continue;
    }
    for (const s of readsOf(op)) needed.add(s);
  }
  const live = ops.filter((_, i) => keep[i]);
  const dead = ops.length - constants - live.length;

  // 3. buffers by liveness
  const lastUse = new Map<Storage, number>();
  live.forEach((op, i) => {
    for (const s of readsOf(op)) lastUse.set(s, i);
  });
  for (const s of outputs) lastUse.set(s, Infinity);

  const buffers: BufferSpec[] = [];
  const bufferOf = new Map<Storage, number>();
  const free = new Map<string, number[]>();
  const captured: Plan['captured'] = [];
  const capturedSeen = new Set<Storage>();
  const refOf = (s: Storage, site: string): Ref => {
    const slot = inputSlot.get(s);
    if (slot !== undefined) return { kind: 'input', slot };
    const b = bufferOf.get(s);
    if (b !== undefined) return { kind: 'buffer', index: b };
    if (!constant.has(s) && !capturedSeen.has(s)) {
      capturedSeen.add(s);
      captured.push({ storage: s, site });
    }
    return { kind: 'fixed', storage: s, constant: constant.has(s) };
  };
  const planArg = (a: unknown, site: string): PlannedArg => {
    if (isStorage(a)) return { ref: refOf(a, site) } satisfies RefArg;
    if (Array.isArray(a) && a.some(isStorage)) return a.map((x) => planArg(x, site));
    return a;
  };
  const allocate = (s: Storage): number => {
    const key = `${s.dtype}:${s.size}`;
    const b = free.get(key)?.pop() ?? buffers.push({ dtype: s.dtype, size: s.size, values: 0 }) - 1;
    buffers[b]!.values++;
    bufferOf.set(s, b);
    return b;
  };
  const release = (i: number, op: TracedOp): void => {
    for (const s of op.kind === 'host' ? [] : [...readsOf(op), ...(op.out ? [op.out] : [])]) {
      const b = bufferOf.get(s);
      if (b === undefined || lastUse.get(s) !== i) continue;
      lastUse.delete(s); // released once, even when read twice by this op
      const key = `${s.dtype}:${s.size}`;
      if (!free.has(key)) free.set(key, []);
      free.get(key)!.push(b);
    }
  };

  const steps: Step[] = [];
  live.forEach((op, i) => {
    if (op.kind === 'host') {
      steps.push(op);
      return;
    }
    if (op.kind === 'draw') {
      steps.push({ kind: 'draw', refill: op.refill, out: allocate(op.out), site: op.site });
    } else if (op.kernel === 'fill') {
      steps.push({ kind: 'fill', value: op.args[2] as number, out: allocate(op.out!), site: op.site });
    } else {
      // operands resolve before the result takes a buffer: it never aliases them
      const args = op.args.map((a) => planArg(a, op.site));
      const out = op.out === null ? -1 : allocate(op.out);
      steps.push({ kind: 'kernel', kernel: op.kernel, args, out, site: op.site });
    }
    // a result no later step reads (a draw kept for the generator's sake) frees at once
    if (op.out !== null && !lastUse.has(op.out)) lastUse.set(op.out, i);
    release(i, op);
  });
  return {
    steps,
    buffers,
    outputs: outputs.map((s) => refOf(s, 'output')),
    captured,
    traced: ops.length,
    constants,
    dead,
    values: bufferOf.size,
  };
}

/** Bytes per element of a dtype. */
export function bytesOf(dtype: DType): number {
  return dtype === 'float64' ? 8 : 4;
}
