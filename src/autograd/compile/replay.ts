/**
 * Replay: a plan bound to its backend. Buffers are allocated once; every step becomes a
 * closure over its resolved arguments, so a call is: put this call's input storages
 * into the argument slots that take them, check that captured tensors still exist, run
 * the closures. No Tensor objects, no graph, no allocation in between. Where the backend
 * offers a command recorder (WebGPU), the closures run inside it, so the GPU work they
 * describe is built once and submitted as one batch per call.
 */
import type { Backend, CommandReplay, Storage } from '../../kernels/backend.js';
import { arrayFor } from '../../kernels/dtype.js';
import { attributeTo, profilingFromEnv, recordKernelTime } from '../../kernels/profile.js';
import { isRefArg, type FusedStep, type Plan, type PlannedArg, type Ref, type Step } from './plan.js';
import { StagedInputs, writtenInputs } from './staged-inputs.js';
import { CompileError } from './trace.js';

type Method = (...args: unknown[]) => unknown;

/** Where an input's storage goes on every call: `array[index] = inputs[slot]`. */
interface Patch {
  array: unknown[];
  index: number;
  slot: number;
}

/** Holds an object a caller may change between calls (Adam's hyperparameters)? */
function holdsMutable(arg: unknown): boolean {
  if (Array.isArray(arg)) return arg.some(holdsMutable);
  return typeof arg === 'object' && arg !== null && !isRefArg(arg);
}

/**
 * Whether a step issues the same commands with the same params on every call, so a
 * recorder may skip it: not a draw (new data), not a host action, no mutable argument.
 */
function sameEveryCall(step: Step): boolean {
  if (step.kind === 'kernel') return !step.args.some(holdsMutable);
  return step.kind === 'fused' || step.kind === 'fill';
}

export class Program {
  readonly buffers: Storage[];
  private readonly run: (() => void)[] = [];
  private readonly patches: Patch[] = [];
  /** the backend's recorder for this program (null: the closures run as they are) */
  readonly commands: CommandReplay | null;
  /** with a recorder: arguments copied into buffers of the program's own */
  private readonly staged: StagedInputs | null = null;
  private inputs: readonly Storage[] = [];
  private readonly runAll = (): void => {
    const run = this.run;
    for (let i = 0; i < run.length; i++) run[i]!();
  };
  /** with a recorder: per step, where its commands end once known, if it may be skipped */
  private readonly ends: (number | undefined)[] = [];
  private skippable: readonly boolean[] = [];
  private readonly runRecorded = (): void => {
    this.staged!.copyIn(this.inputs);
    const commands = this.commands!;
    const run = this.run;
    const ends = this.ends;
    for (let i = 0; i < run.length; i++) {
      const end = ends[i];
      if (end !== undefined && commands.skipTo(end)) continue;
      run[i]!();
      if (end === undefined && this.skippable[i]) ends[i] = commands.position();
    }
  };
  private disposed = false;

  constructor(
    readonly plan: Plan,
    readonly backend: Backend,
    private readonly who: string,
  ) {
    this.buffers = plan.buffers.map((b) => backend.fill(b.dtype, b.size, 0));
    this.commands = backend.commandReplay?.() ?? null;
    const profiled = profilingFromEnv();
    plan.steps.forEach((step, i) => {
      const body = this.bind(step);
      if (!profiled) return this.run.push(body);
      // SR2L_PROFILE=1: time each step under its plan position and traced call site
      const label = `${who} #${i} ← ${step.site}`;
      if (step.kind === 'fused') {
        // a generated loop, not a backend call: timed here
        const kernel = `fused[${step.ops.join(' → ')}]`;
        return this.run.push(() => {
          const t0 = performance.now();
          body();
          recordKernelTime(kernel, label, performance.now() - t0);
        });
      }
      this.run.push(() => {
        attributeTo(label);
        try {
          body();
        } finally {
          attributeTo(null);
        }
      });
    });
    if (this.commands) {
      const read = this.patches.map((p) => p.slot);
      const written = writtenInputs(plan);
      this.staged = new StagedInputs(backend, read, written);
      // an argument bound as it is may bring other buffers every call: every step runs then
      if (written.size === 0) this.skippable = plan.steps.map(sameEveryCall);
      this.commands.watch(plan.captured.map((c) => c.storage));
    }
  }

  private resolve(arg: PlannedArg, holder: unknown[], index: number): unknown {
    if (isRefArg(arg)) {
      const r = arg.ref;
      if (r.kind === 'input') {
        this.patches.push({ array: holder, index, slot: r.slot });
        return null;
      }
      return r.kind === 'buffer' ? this.buffers[r.index] : r.storage;
    }
    if (Array.isArray(arg) && arg.some(isRefArg)) {
      const inner: unknown[] = [];
      arg.forEach((a: PlannedArg, j) => inner.push(this.resolve(a, inner, j)));
      return inner;
    }
    return arg;
  }

  private bind(step: Step): () => void {
    const backend = this.backend;
    if (step.kind === 'host') return step.action;
    if (step.kind === 'fused') return this.bindFused(step);
    const out = step.out >= 0 ? this.buffers[step.out]! : null;
    const writeInto = backend.writeNextInto!.bind(backend);
    if (step.kind === 'fill') {
      const value = step.value;
      if (backend.synchronous) return () => void backend.readSync(out!).fill(value);
      const { dtype, size } = out!;
      return () => {
        writeInto(out!);
        backend.fill(dtype, size, value);
      };
    }
    if (step.kind === 'draw') {
      const refill = step.refill;
      if (backend.synchronous) return () => refill(backend.readSync(out!));
      // an asynchronous backend: draw on the host, upload into the planned buffer
      const host = arrayFor(out!.dtype, out!.size);
      return () => {
        refill(host);
        writeInto(out!);
        backend.upload(host);
      };
    }
    const args: unknown[] = [];
    step.args.forEach((a, j) => args.push(this.resolve(a, args, j)));
    const method = (backend as unknown as Record<string, Method>)[step.kernel]!;
    if (out === null) return () => void method.apply(backend, args);
    const kernel = step.kernel;
    return () => {
      writeInto(out);
      if (method.apply(backend, args) !== out)
        throw new Error(`compile: internal: ${kernel} did not write into its planned buffer`);
    };
  }

  /** A fused kernel: the backend runs the spec on the resolved operands and buffers. */
  private bindFused(step: FusedStep): () => void {
    const backend = this.backend;
    const ins: unknown[] = [];
    step.ins.forEach((r, k) => ins.push(this.resolve({ ref: r }, ins, k)));
    const outs = step.outs.map((b) => this.buffers[b]!);
    const spec = step.spec;
    return () => backend.fusedElementwise!(spec, ins as Storage[], outs);
  }

  /** Runs the program on this call's input storages. */
  call(inputs: readonly Storage[]): void {
    if (this.disposed) throw new Error(`compile(${this.who}): the program was disposed`);
    const bound = this.staged ? this.staged.bind(inputs) : inputs;
    for (const p of this.patches) p.array[p.index] = bound[p.slot];
    for (const c of this.plan.captured) {
      if (c.storage.disposed)
        throw new CompileError(
          `compile(${this.who}): a tensor the function captured from outside (${c.storage.dtype}, ${c.storage.size} elements, first read at ${c.site}) was disposed after tracing; pass it as an argument or call reset() to trace again`,
        );
    }
    if (!this.commands) return this.runAll();
    this.inputs = inputs;
    try {
      this.commands.run(this.runRecorded);
    } catch (e) {
      this.ends.length = 0; // a failed recording's positions are not the program's
      throw e;
    } finally {
      this.inputs = [];
    }
  }

  /** The storage an output reference names on this call. */
  storageOf(ref: Ref, inputs: readonly Storage[]): Storage {
    if (ref.kind === 'input') return inputs[ref.slot]!;
    return ref.kind === 'buffer' ? this.buffers[ref.index]! : ref.storage;
  }

  /** Bytes the program's own buffers hold. */
  get bytes(): number {
    return this.plan.buffers.reduce((n, b) => n + b.size * (b.dtype === 'float64' ? 8 : 4), 0);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.commands?.dispose();
    this.staged?.dispose();
    for (const b of this.buffers) this.backend.dispose(b);
  }
}
