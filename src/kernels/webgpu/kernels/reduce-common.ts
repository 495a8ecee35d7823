/**
 * What the two reduce kernels share: the params layout and the combine step.
 * Params: [outCount, redCount, outRank, redRank, outShape[8], outStrides[8], redShape[8],
 * redStrides[8], init bits] (words 0, 1, 2, 3, 4, 12, 20, 28, 36). Strides are into the contiguous
 * input; init is 0 or −∞ as bits (a −∞ literal is a WGSL compile error).
 * the host merges adjacent axes so both ranks are small (a [B, 64] column sum is 1 + 1).
 */
import { OFFSET_WGSL, PARAMS_WGSL } from '../wgsl.js';

export function reducePrelude(op: string, type: string): string {
  // max lets NaN win, as NumPy and the CPU backend do
  const combine = op === 'sum' ? 'acc + x' : 'select(acc, x, x > acc || x != x)';
  return /* wgsl */ `${PARAMS_WGSL}${OFFSET_WGSL}
alias T = ${type};
@group(0) @binding(1) var<storage, read> xs: array<T>;
@group(0) @binding(2) var<storage, read_write> out: array<T>;
fn init() -> T { return bitcast<T>(P(36u)); }
fn combine(acc: T, x: T) -> T { return ${combine}; }
/** Combines the elements r = start, start+step, ... of output o's reduced set into acc. */
fn reduceRange(o: u32, start: u32, step: u32) -> T {
  let base = i32(offsetOf(o, P(2u), 4u, 12u, 0));
  let n = P(1u);
  var acc = init();
  if (P(3u) == 1u) {
    let s = bitcast<i32>(P(28u));
    for (var r = start; r < n; r += step) { acc = combine(acc, xs[u32(base + i32(r) * s)]); }
  } else {
    for (var r = start; r < n; r += step) { acc = combine(acc, xs[offsetOf(r, P(3u), 20u, 28u, base)]); }
  }
  return acc;
}
`;
}
