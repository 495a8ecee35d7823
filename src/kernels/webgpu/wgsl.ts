/**
 * WGSL pieces every kernel shares: the params uniform (binding 0, 64 u32 words read with
 * P(i), floats bit-cast with PF(i)), the flat invocation index over a 2-D dispatch grid
 * (one dimension caps at 65535 workgroups), and the index-to-offset walk for strided
 * (broadcast/permuted) operands of up to MAX_RANK dimensions.
 */
import type { DType } from '../dtype.js';

export const PARAM_WORDS = 64;
export const MAX_RANK = 8;

export const PARAMS_WGSL = /* wgsl */ `
struct Params { v: array<vec4<u32>, ${PARAM_WORDS / 4}> }
@group(0) @binding(0) var<uniform> params: Params;
fn P(i: u32) -> u32 { return params.v[i / 4u][i % 4u]; }
fn PF(i: u32) -> f32 { return bitcast<f32>(P(i)); }
`;

/** Flat index of this invocation for a 1-D problem dispatched as a 2-D grid of `wg`-wide workgroups. */
export function flatIndexWGSL(wg: number): string {
  return /* wgsl */ `
fn flatIndex(gid: vec3<u32>, nwg: vec3<u32>) -> u32 { return gid.x + gid.y * nwg.x * ${wg}u; }
`;
}

/**
 * offsetOf(flat, rank, shapeAt, strideAt, base): element offset, for the row-major index
 * `flat` of a shape whose dims start at params word `shapeAt`, of an operand whose (signed)
 * strides start at word `strideAt`. Stride 0 = broadcast.
 */
export const OFFSET_WGSL = /* wgsl */ `
fn offsetOf(flat: u32, rank: u32, shapeAt: u32, strideAt: u32, base: i32) -> u32 {
  var rem = flat;
  var off = base;
  for (var d = i32(rank) - 1; d >= 0; d--) {
    let n = P(shapeAt + u32(d));
    off += i32(rem % n) * bitcast<i32>(P(strideAt + u32(d)));
    rem = rem / n;
  }
  return u32(off);
}
`;

export function wgslType(dtype: DType): 'f32' | 'i32' {
  if (dtype === 'float32') return 'f32';
  if (dtype === 'int32') return 'i32';
  throw new TypeError(`webgpu backend supports float32 and int32, not ${dtype}`);
}

/** Workgroups for `count` invocations of a `wg`-wide 1-D kernel, folded into (x, y) under `maxPerDim`. */
export function grid1d(count: number, wg: number, maxPerDim = 65535): [number, number, number] {
  const groups = Math.max(1, Math.ceil(count / wg));
  if (groups <= maxPerDim) return [groups, 1, 1];
  const y = Math.ceil(groups / maxPerDim);
  return [Math.ceil(groups / y), y, 1];
}

/**
 * Scalar WGSL expressions in `x` for the unary ops (f32). Stable forms match the CPU
 * reference: sigmoid and softplus never overflow exp, tanh is clamped where it is ±1 in f32.
 */
export const UNARY_WGSL: Record<string, string> = {
  neg: '-x',
  exp: 'exp(x)',
  log: 'log(x)',
  sqrt: 'sqrt(x)',
  tanh: 'tanh(clamp(x, -15.0, 15.0))',
  relu: 'select(x, 0.0, x < 0.0)',
  sigmoid: 'select(exp(x) / (1.0 + exp(x)), 1.0 / (1.0 + exp(-x)), x >= 0.0)',
  softplus: 'select(log1p(exp(x)), x + log1p(exp(-x)), x > 0.0)',
  abs: 'abs(x)',
  sign: 'sign(x)',
  square: 'x * x',
  reciprocal: '1.0 / x',
};

/** The int32 subset of the unary ops. */
export const UNARY_WGSL_I32: Record<string, string> = {
  neg: '-x',
  abs: 'abs(x)',
  sign: 'sign(x)',
  square: 'x * x',
};

/** log(1+u) accurate for small u (Goldberg's trick; WGSL has no log1p). */
export const LOG1P_WGSL = /* wgsl */ `
fn log1p(u: f32) -> f32 {
  let w = 1.0 + u;
  if (w == 1.0) { return u; }
  return log(w) * u / (w - 1.0);
}
`;

/** `fn act(x: f32) -> f32` for a fused-linear activation (needs LOG1P_WGSL for none of them). */
export function activationWGSL(act: string): string {
  return `fn act(x: f32) -> f32 { return ${act === 'none' ? 'x' : UNARY_WGSL[act]!}; }\n`;
}
