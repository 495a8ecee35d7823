/**
 * Anomaly mode: after every op, scan its output for NaN/Inf and throw, naming the op,
 * the input shapes, and (during a backward pass) which op's gradient rule ran it.
 * Costs one pass over each output, so it is off by default.
 */
import type { Backend, Storage } from '../kernels/backend.js';
import { fmtShape, type Shape } from '../kernels/shape.js';

let on = false;
/** Stack of ops whose backward rule is running, for messages. */
const backwardOf: string[] = [];

export class AnomalyError extends Error {
  constructor(
    message: string,
    readonly op: string,
    readonly inputShapes: Shape[],
  ) {
    super(message);
    this.name = 'AnomalyError';
  }
}

export function setAnomalyMode(enabled: boolean): void {
  on = enabled;
}

export function isAnomalyMode(): boolean {
  return on;
}

/** Runs fn with anomaly mode on. */
export function detectAnomaly<T>(fn: () => T): T {
  const prev = on;
  on = true;
  try {
    return fn();
  } finally {
    on = prev;
  }
}

export function pushBackwardContext(op: string): void {
  backwardOf.push(op);
}

export function popBackwardContext(): void {
  backwardOf.pop();
}

export function checkAnomaly(op: string, backend: Backend, out: Storage, inputShapes: Shape[]): void {
  if (!on || out.dtype === 'int32' || !backend.synchronous) return;
  const d = backend.readSync(out);
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v - v !== 0) {
      const where = backwardOf.length
        ? ` (in the backward pass of '${backwardOf[backwardOf.length - 1]}')`
        : '';
      throw new AnomalyError(
        `anomaly: '${op}'${where} produced ${v} at flat index ${i}; input shapes ${inputShapes.map(fmtShape).join(', ') || '(none)'}`,
        op,
        inputShapes,
      );
    }
  }
}
