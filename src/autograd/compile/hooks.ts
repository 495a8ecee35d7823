/**
 * The few places outside the compiler that must tell a trace something: a random draw
 * (so a replay draws again from the same generator), host-side bookkeeping that must be
 * repeated on every call (an optimizer's step count), and work that belongs to no call
 * (state created lazily on first use). Kept free of imports so creation.ts and the
 * optimizers can use it without a cycle; outside a trace every hook is a no-op.
 */
import type { TypedArray } from '../../kernels/dtype.js';

/** What a trace in progress listens to (implemented by trace.ts). */
export interface TraceSink {
  /** The next upload is a draw that `refill` repeats into a buffer of the same dtype and size. */
  draw(refill: (into: TypedArray) => void): void;
  /** `action` already ran now; a replay runs it again at this point of the program. */
  host(action: () => void): void;
  /** Depth of untraced() sections: kernels issued inside them are not recorded. */
  paused: number;
}

let active: TraceSink | null = null;

/** The trace in progress, if any. */
export function activeTrace(): TraceSink | null {
  return active;
}

/** Runs `fn` with `sink` listening (nested traces are not supported: the caller checks). */
export function withTrace<T>(sink: TraceSink, fn: () => T): T {
  const prev = active;
  active = sink;
  try {
    return fn();
  } finally {
    active = prev;
  }
}

/** True while a compiled function is being traced (and not inside untraced()). */
export function isTracing(): boolean {
  return active !== null && active.paused === 0;
}

/** Tells a trace that the next upload is a random draw made by `refill`. */
export function noteDraw(refill: (into: TypedArray) => void): void {
  if (active !== null && active.paused === 0) active.draw(refill);
}

/** Records host-side bookkeeping that already ran, so compiled replays repeat it. */
export function onReplay(action: () => void): void {
  if (active !== null && active.paused === 0) active.host(action);
}

/**
 * Runs `fn` outside the trace: its kernels run now and are not part of the compiled
 * program. For state created lazily on first use (optimizer moments): a replay must
 * not create it again, and the program then reads and updates it by reference.
 */
export function untraced<T>(fn: () => T): T {
  const sink = active;
  if (sink === null) return fn();
  sink.paused++;
  try {
    return fn();
  } finally {
    sink.paused--;
  }
}
