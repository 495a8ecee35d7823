/**
 * Elementwise fusion on the CPU: runs of consecutive unary/binary/compare steps over the
 * same number of elements (operands of that size with the output's shape, or scalars)
 * become one generated loop (`new Function`, like the CPU backend's own elementwise
 * kernels, from the same scalar expressions in cpu/elementwise.ts). Values used only
 * inside the run stay in local variables; the others are stored to their planned buffers.
 *
 * Rounding: float32 intermediates are rounded to float32 (Math.fround) after every op, as
 * the unfused kernels store them, and float32 +, −, ×, ÷ in double then rounded are the
 * IEEE float32 results; so a fused run equals the unfused steps bit for bit except where
 * an unfused kernel is not the plain expression: tanh, whose SIMD kernel is a polynomial
 * (differs by a few float32 ulps). float64 runs are identical.
 */
import type { Storage } from '../../kernels/backend.js';
import { BINARY_EXPR, UNARY_EXPR } from '../../kernels/cpu/elementwise.js';
import { shapesEqual, sizeOf, type Shape } from '../../kernels/shape.js';
import { isRefArg, type FusedStep, type Plan, type Ref, type RefArg, type Step } from './plan.js';
import { WRITES } from './trace.js';

type Kernel = Extract<Step, { kind: 'kernel' }>;

interface Elementwise {
  step: Kernel;
  expr: string;
  /** operand refs with their variable name in the expression */
  operands: { name: 'x' | 'a' | 'b'; ref: Ref }[];
  op: string;
}

/** The step as an elementwise op over its output's elements, or null if it is not one. */
function elementwise(step: Step, plan: Plan): Elementwise | null {
  if (step.kind !== 'kernel' || step.out < 0) return null;
  const { kernel, args } = step;
  if (kernel === 'unary') {
    const [op, x] = args as [keyof typeof UNARY_EXPR, unknown];
    if (!isRefArg(x)) return null;
    return { step, expr: UNARY_EXPR[op], operands: [{ name: 'x', ref: x.ref }], op };
  }
  if (kernel === 'binary' || kernel === 'compare') {
    const [op, a, aShape, b, bShape, outShape] = args as [
      keyof typeof BINARY_EXPR,
      unknown,
      Shape,
      unknown,
      Shape,
      Shape,
    ];
    if (!isRefArg(a) || !isRefArg(b)) return null;
    // no general broadcasting: every operand is the output's shape or a scalar
    const fits = (s: Shape): boolean => shapesEqual(s, outShape) || sizeOf(s) === 1;
    if (!fits(aShape) || !fits(bShape) || sizeOf(outShape) !== plan.buffers[step.out]!.size) return null;
    return {
      step,
      expr: BINARY_EXPR[op],
      operands: [
        { name: 'a', ref: a.ref },
        { name: 'b', ref: b.ref },
      ],
      op,
    };
  }
  return null;
}

function readsBuffer(step: Step, b: number): boolean {
  if (step.kind === 'fused') return step.ins.some((r) => r.kind === 'buffer' && r.index === b);
  if (step.kind !== 'kernel') return false;
  const visit = (a: unknown): boolean =>
    isRefArg(a) ? a.ref.kind === 'buffer' && a.ref.index === b : Array.isArray(a) && a.some(visit);
  return step.args.some(visit);
}

function writesBuffer(step: Step, b: number): boolean {
  if ('out' in step && step.out === b) return true;
  if (step.kind !== 'kernel') return false;
  return (WRITES[step.kernel] ?? []).some((i) => {
    const a = step.args[i] as RefArg;
    return a.ref.kind === 'buffer' && a.ref.index === b;
  });
}

/** Whether the value step i writes is needed after step `end` (exclusive of the run [.., end)). */
function neededAfter(plan: Plan, i: number, end: number): boolean {
  const b = (plan.steps[i] as Kernel).out;
  for (let j = end; j < plan.steps.length; j++) {
    const s = plan.steps[j]!;
    if (readsBuffer(s, b)) return true;
    if (writesBuffer(s, b)) return false;
  }
  return plan.outputs.some((r) => r.kind === 'buffer' && r.index === b);
}

function sameRef(a: Ref, b: Ref): boolean {
  if (a.kind === 'input') return b.kind === 'input' && a.slot === b.slot;
  if (a.kind === 'buffer') return b.kind === 'buffer' && a.index === b.index;
  return b.kind === 'fixed' && a.storage === b.storage;
}

const cache = new Map<string, FusedStep['fn']>();

/** One run of elementwise steps [start, end) as a fused step. */
function fuseRun(plan: Plan, run: Elementwise[], start: number, sizeOfRef: (r: Ref) => number): FusedStep {
  const n = plan.buffers[run[0]!.step.out]!.size;
  const dtype = plan.buffers[run[0]!.step.out]!.dtype;
  const round = dtype === 'float32' ? (e: string) => `f(${e})` : (e: string) => `(${e})`;
  const ins: Ref[] = [];
  const scalar: boolean[] = [];
  const outs: number[] = [];
  const lines: string[] = [];
  const stores: string[] = [];
  // buffer index → the temp holding the latest value a step of this run wrote to it
  const inRun = new Map<number, string>();
  const operandVar = (r: Ref): string => {
    if (r.kind === 'buffer' && inRun.has(r.index)) return inRun.get(r.index)!;
    let k = ins.findIndex((x) => sameRef(x, r));
    if (k < 0) {
      k = ins.push(r) - 1;
      scalar.push(sizeOfRef(r) === 1 && n !== 1);
    }
    return `x${k}`;
  };
  run.forEach((e, j) => {
    const binds = e.operands.map((o) => `${o.name} = ${operandVar(o.ref)}`).join(', ');
    const t = `t${j}`;
    lines.push(`let ${t}; { const ${binds}; ${t} = ${round(e.expr)}; }`);
    inRun.set(e.step.out, t);
    if (neededAfter(plan, start + j, start + run.length)) {
      // a value needed later keeps its buffer live over the rest of the run: one store each
      const k = outs.push(e.step.out) - 1;
      stores.push(`o${k}[i] = ${t};`);
    }
  });
  const loads = ins.map((_, k) => (scalar[k] ? '' : `const x${k} = i${k}[i];`)).join(' ');
  const hoisted = ins.map((_, k) => (scalar[k] ? `const x${k} = i${k}[0];` : '')).join(' ');
  const params = ['f', 'n', ...ins.map((_, k) => `i${k}`), ...outs.map((_, k) => `o${k}`)];
  // every operand of element i is read before anything of element i is stored (buffers
  // may be reused across the run: the plan never lets a live value's buffer be written)
  const body = `${hoisted} for (let i = 0; i < n; i++) { ${loads} ${lines.join(' ')} ${stores.join(' ')} }`;
  const key = `${params.join(',')}|${body}`;
  let fn = cache.get(key);
  if (fn === undefined) {
    fn = new Function(...params, body) as FusedStep['fn'];
    cache.set(key, fn);
  }
  return {
    kind: 'fused',
    ins,
    scalar,
    outs,
    n,
    dtype,
    fn,
    ops: run.map((e) => e.op),
    site: run[0]!.step.site,
  };
}

/**
 * The plan with runs of at least two elementwise steps fused. `inputSizes` are the element
 * counts of the function's argument tensors (the plan itself knows only its buffers).
 */
export function fusePlan(plan: Plan, inputSizes: readonly number[]): Plan {
  const sizeOfRef = (r: Ref): number =>
    r.kind === 'input'
      ? inputSizes[r.slot]!
      : r.kind === 'buffer'
        ? plan.buffers[r.index]!.size
        : (r.storage as Storage).size;
  const steps: Step[] = [];
  let i = 0;
  while (i < plan.steps.length) {
    const first = elementwise(plan.steps[i]!, plan);
    const dtype = first ? plan.buffers[first.step.out]!.dtype : null;
    if (!first || (dtype !== 'float32' && dtype !== 'float64')) {
      steps.push(plan.steps[i++]!);
      continue;
    }
    const n = plan.buffers[first.step.out]!.size;
    const run = [first];
    let j = i + 1;
    for (; j < plan.steps.length; j++) {
      const e = elementwise(plan.steps[j]!, plan);
      if (!e) break;
      const b = plan.buffers[e.step.out]!;
      if (b.size !== n || b.dtype !== dtype) break;
      run.push(e);
    }
    if (run.length < 2) steps.push(plan.steps[i]!);
    else steps.push(fuseRun(plan, run, i, sizeOfRef));
    i = i + run.length;
  }
  return dropUnusedBuffers({ ...plan, steps });
}

/** Buffers only values kept in registers used are not allocated (buffers renumbered). */
function dropUnusedBuffers(plan: Plan): Plan {
  const used = new Set<number>();
  const note = (r: Ref): void => void (r.kind === 'buffer' && used.add(r.index));
  const visit = (a: unknown): void =>
    isRefArg(a) ? note(a.ref) : Array.isArray(a) ? a.forEach(visit) : undefined;
  for (const s of plan.steps) {
    if (s.kind === 'fused') {
      s.ins.forEach(note);
      s.outs.forEach((b) => used.add(b));
    } else if (s.kind === 'kernel') {
      s.args.forEach(visit);
      if (s.out >= 0) used.add(s.out);
    } else if (s.kind !== 'host') used.add(s.out);
  }
  plan.outputs.forEach(note);
  const order = [...used].sort((a, b) => a - b);
  const index = new Map(order.map((b, i) => [b, i]));
  const ref = (r: Ref): Ref => (r.kind === 'buffer' ? { kind: 'buffer', index: index.get(r.index)! } : r);
  const arg = (a: unknown): unknown =>
    isRefArg(a) ? ({ ref: ref(a.ref) } satisfies RefArg) : Array.isArray(a) ? a.map(arg) : a;
  const steps = plan.steps.map((s): Step => {
    if (s.kind === 'fused') return { ...s, ins: s.ins.map(ref), outs: s.outs.map((b) => index.get(b)!) };
    if (s.kind === 'kernel') return { ...s, args: s.args.map(arg), out: s.out >= 0 ? index.get(s.out)! : -1 };
    if (s.kind === 'host') return s;
    return { ...s, out: index.get(s.out)! };
  });
  return { ...plan, steps, buffers: order.map((b) => plan.buffers[b]!), outputs: plan.outputs.map(ref) };
}
