/**
 * Box spaces: a fixed-shape vector with per-entry bounds, as in Gymnasium's `Box`.
 * Bounds are Float64Array so that ±Infinity (unbounded observations) is representable.
 */
export interface Box {
  readonly kind: 'box';
  /** Shape of one sample; every environment here uses a flat vector, `[n]`. */
  readonly shape: readonly number[];
  readonly low: Float64Array;
  readonly high: Float64Array;
  /** Element type of the arrays an environment returns for this space. */
  readonly dtype: 'float64';
}

/** A flat Box of length `n`; `low`/`high` are scalars (broadcast) or per-entry arrays. */
export function box(n: number, low: number | ArrayLike<number>, high: number | ArrayLike<number>): Box {
  const lo = typeof low === 'number' ? new Float64Array(n).fill(low) : Float64Array.from(low);
  const hi = typeof high === 'number' ? new Float64Array(n).fill(high) : Float64Array.from(high);
  if (lo.length !== n || hi.length !== n) {
    throw new RangeError(`box: bounds have lengths ${lo.length}/${hi.length}, expected ${n}`);
  }
  for (let i = 0; i < n; i++) {
    if (!(lo[i]! <= hi[i]!)) throw new RangeError(`box: low[${i}]=${lo[i]} > high[${i}]=${hi[i]}`);
  }
  return { kind: 'box', shape: [n], low: lo, high: hi, dtype: 'float64' };
}

/** Number of entries of a flat Box. */
export function boxSize(space: Box): number {
  return space.shape.reduce((a, b) => a * b, 1);
}

/** Whether `x` lies inside the bounds (inclusive) and has the right length. */
export function boxContains(space: Box, x: ArrayLike<number>): boolean {
  if (x.length !== boxSize(space)) return false;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (!(v >= space.low[i]! && v <= space.high[i]!)) return false;
  }
  return true;
}
