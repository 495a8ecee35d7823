/**
 * The one N-dimensional loop the CPU kernels share: visits every index of `shape` in
 * row-major order and hands the callback the element offsets into up to three operands,
 * each with its own strides (stride 0 = broadcast). The innermost dimension runs as a
 * tight loop inside `inner`, so the per-element cost is the callback's arithmetic alone.
 */
import type { Shape } from '../shape.js';

export type InnerLoop = (
  n: number,
  o0: number,
  s0: number,
  o1: number,
  s1: number,
  o2: number,
  s2: number,
) => void;

export function stridedLoop(
  shape: Shape,
  st0: readonly number[],
  st1: readonly number[],
  st2: readonly number[],
  base0: number,
  base1: number,
  base2: number,
  inner: InnerLoop,
): void {
  const r = shape.length;
  if (r === 0) {
    inner(1, base0, 0, base1, 0, base2, 0);
    return;
  }
  for (let d = 0; d < r; d++) if (shape[d] === 0) return;
  const last = r - 1;
  const n = shape[last]!;
  const s0 = st0[last] ?? 0;
  const s1 = st1[last] ?? 0;
  const s2 = st2[last] ?? 0;
  if (r === 1) {
    inner(n, base0, s0, base1, s1, base2, s2);
    return;
  }
  const idx = new Array<number>(last).fill(0);
  let o0 = base0;
  let o1 = base1;
  let o2 = base2;
  for (;;) {
    inner(n, o0, s0, o1, s1, o2, s2);
    // advance the outer index with carry
    let d = last - 1;
    for (; d >= 0; d--) {
      const i = ++idx[d]!;
      o0 += st0[d] ?? 0;
      o1 += st1[d] ?? 0;
      o2 += st2[d] ?? 0;
      if (i < shape[d]!) break;
      idx[d] = 0;
      o0 -= (st0[d] ?? 0) * shape[d]!;
      o1 -= (st1[d] ?? 0) * shape[d]!;
      o2 -= (st2[d] ?? 0) * shape[d]!;
    }
    if (d < 0) return;
  }
}
