/**
 * Elementwise fusion: runs of consecutive unary/binary/compare steps over the same number
 * of elements (operands of that size with the output's shape, or scalars) become one
 * Backend.fusedElementwise call, described by a FusedSpec that each backend turns into
 * its own generated kernel (cpu/fused-wasm.ts: WebAssembly SIMD, cpu/fused.ts: a
 * JavaScript loop; webgpu/kernels/fused_elementwise.ts: WGSL). Values used only inside
 * the run stay in registers; the others are stored to their planned buffers. Rounding:
 * see cpu/fused-wasm.ts and cpu/fused.ts (bit for bit on the CPU) and docs/compile.md.
 */
import type { FusedOp, FusedSpec, Storage } from '../../kernels/backend.js';
import { shapesEqual, sizeOf, type Shape } from '../../kernels/shape.js';
import { isRefArg, type FusedStep, type Plan, type Ref, type RefArg, type Step } from './plan.js';
import { WRITES } from './trace.js';

type Kernel = Extract<Step, { kind: 'kernel' }>;

interface Elementwise {
  step: Kernel;
  op: FusedOp['op'];
  /** operand refs, in the op's argument order */
  operands: Ref[];
}

/** The step as an elementwise op over its output's elements, or null if it is not one. */
function elementwise(step: Step, plan: Plan): Elementwise | null {
  if (step.kind !== 'kernel' || step.out < 0) return null;
  const { kernel, args } = step;
  if (kernel === 'unary') {
    const [op, x] = args as [FusedOp['op'], unknown];
    return isRefArg(x) ? { step, op, operands: [x.ref] } : null;
  }
  if (kernel === 'binary' || kernel === 'compare') {
    const [op, a, aShape, b, bShape, outShape] = args as [
      FusedOp['op'],
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
    return { step, op, operands: [a.ref, b.ref] };
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
  // a later step of the run reusing the buffer ends this value's life inside the run
  for (let j = i + 1; j < end; j++) if (writesBuffer(plan.steps[j]!, b)) return false;
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

/**
 * WebGPU guarantees 8 storage buffers per shader stage (maxStorageBuffersPerShaderStage):
 * a fused kernel reads and writes at most that many buffers.
 */
export const MAX_FUSED_BUFFERS = 8;

/** One run of elementwise steps [start, start + run.length) as a fused step. */
function fuseRun(plan: Plan, run: Elementwise[], start: number, sizeOfRef: (r: Ref) => number): FusedStep {
  const { size: n, dtype } = plan.buffers[run[0]!.step.out]!;
  const ins: Ref[] = [];
  const scalar: boolean[] = [];
  const outs: number[] = [];
  const ops: FusedOp[] = [];
  const stores: { value: number; out: number }[] = [];
  // buffer index → the op of this run that last wrote it
  const inRun = new Map<number, number>();
  const operand = (r: Ref): { input: number } | { value: number } => {
    if (r.kind === 'buffer' && inRun.has(r.index)) return { value: inRun.get(r.index)! };
    let k = ins.findIndex((x) => sameRef(x, r));
    if (k < 0) {
      k = ins.push(r) - 1;
      scalar.push(sizeOfRef(r) === 1 && n !== 1);
    }
    return { input: k };
  };
  run.forEach((e, j) => {
    ops.push({ op: e.op, args: e.operands.map(operand) });
    inRun.set(e.step.out, j);
    // a value needed after the run keeps its buffer live over the rest of it: one store each
    if (neededAfter(plan, start + j, start + run.length))
      stores.push({ value: j, out: outs.push(e.step.out) - 1 });
  });
  const spec: FusedSpec = { n, dtype, scalar, ops, stores };
  return { kind: 'fused', ins, outs, spec, ops: run.map((e) => e.op), site: run[0]!.step.site };
}

/**
 * The plan with runs of at least two elementwise steps fused. `inputSizes` are the element
 * counts of the function's argument tensors (the plan itself knows only its buffers);
 * `pays` is the backend's Backend.fusionPays: a run stops growing at the first op whose
 * fused kernel it declines.
 */
export function fusePlan(
  plan: Plan,
  inputSizes: readonly number[],
  pays: (spec: FusedSpec) => boolean = () => true,
): Plan {
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
    let fused: FusedStep | null = null;
    for (let j = i + 1; j < plan.steps.length; j++) {
      const e = elementwise(plan.steps[j]!, plan);
      if (!e) break;
      const b = plan.buffers[e.step.out]!;
      if (b.size !== n || b.dtype !== dtype) break;
      const candidate = fuseRun(plan, [...run, e], i, sizeOfRef);
      if (candidate.ins.length + candidate.outs.length > MAX_FUSED_BUFFERS) break;
      if (!pays(candidate.spec)) break;
      run.push(e);
      fused = candidate;
    }
    steps.push(fused ?? plan.steps[i]!);
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
