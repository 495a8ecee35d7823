/** The benchmarked network and workloads, shared by every implementation. */
export const LAYERS = [17, 64, 64, 6] as const;
export const BATCHES = [1, 64, 1000, 4096] as const;
/** Input PGD: steps, batch, step size and radius (an L∞ ball around the input). */
export const PGD = { steps: 10, batch: 64, alpha: 0.01, eps: 0.05 } as const;

/** Deterministic parameter and input values so every implementation computes the same numbers. */
export function fillDeterministic(n: number, seed: number, scale: number): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    a[i] = ((s >>> 0) / 4294967296 - 0.5) * 2 * scale;
  }
  return a;
}

/** Glorot-like scale for a [fanIn, fanOut] weight. */
export function weightScale(fanIn: number, fanOut: number): number {
  return Math.sqrt(6 / (fanIn + fanOut));
}
