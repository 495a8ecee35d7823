/**
 * Arguments copied into place. With a backend command recorder (WebGPU: bind groups built
 * once per program), a program binds buffers of its own for the arguments it only reads
 * and copies each call's arguments into them first (a device-side copy), so every recorded
 * binding names the same buffers on every call; a fresh batch tensor per call would
 * otherwise need new bind groups. Arguments written in place (an optimizer step on a
 * parameter passed in) stay bound as they are, so the write lands in the caller's tensor.
 */
import type { Backend, Storage } from '../../kernels/backend.js';
import { isRefArg, type Plan } from './plan.js';
import { WRITES } from './trace.js';

/** Input slots some kernel step writes in place. */
export function writtenInputs(plan: Plan): Set<number> {
  const written = new Set<number>();
  for (const step of plan.steps) {
    if (step.kind !== 'kernel') continue;
    for (const pos of WRITES[step.kernel] ?? []) {
      const a = step.args[pos];
      if (isRefArg(a) && a.ref.kind === 'input') written.add(a.ref.slot);
    }
  }
  return written;
}

export class StagedInputs {
  private readonly slots: number[];
  /** the program's own storage per staged slot, made at the first call */
  private readonly own = new Map<number, Storage>();
  private readonly bound: Storage[] = [];

  constructor(
    private readonly backend: Backend,
    read: Iterable<number>,
    written: ReadonlySet<number>,
  ) {
    this.slots = [...new Set(read)].filter((s) => !written.has(s));
  }

  /** The storages the program binds on this call: its own where an argument is staged. */
  bind(inputs: readonly Storage[]): readonly Storage[] {
    const bound = this.bound;
    bound.length = 0;
    for (const s of inputs) bound.push(s);
    for (const slot of this.slots) {
      let own = this.own.get(slot);
      if (own === undefined) {
        const s = inputs[slot]!; // the signature fixes its dtype and size
        this.own.set(slot, (own = this.backend.fill(s.dtype, s.size, 0)));
      }
      bound[slot] = own;
    }
    return bound;
  }

  /** Copies this call's arguments into place: the first work of the recorded call. */
  copyIn(inputs: readonly Storage[]): void {
    for (const slot of this.slots) this.backend.assign(this.own.get(slot)!, inputs[slot]!);
  }

  dispose(): void {
    for (const s of this.own.values()) this.backend.dispose(s);
    this.own.clear();
  }
}
