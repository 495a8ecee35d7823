/**
 * binary: out[i] = a (op) b with NumPy broadcasting, for Backend.binary and Backend.compare
 * (comparisons write 1 or 0 in the operands' type).
 * Layout: params [count, rank, shape[8], aStrides[8], bStrides[8]] (words 0, 1, 2, 10, 18);
 * binding 1 a, 2 b, 3 out (contiguous). `mode` specializes the index math: 'same' (equal
 * shapes), 'scalarA'/'scalarB' (one side has one element), 'strided' (general broadcast).
 * Workgroup 64: one output element per invocation, portable size.
 */
import { registerKernel } from '../registry.js';
import { flatIndexWGSL, OFFSET_WGSL, PARAMS_WGSL } from '../wgsl.js';

const WG = 64;

/** WGSL expressions in a, b of type T (shared with the fused elementwise kernel). */
export const BINARY_EXPR_WGSL: Record<string, string> = {
  add: 'a + b',
  sub: 'a - b',
  mul: 'a * b',
  div: 'a / b',
  pow: 'powT(a, b)',
  // NaN-propagating like NumPy (and the CPU backend)
  maximum: 'select(b, a, a > b || a != a)',
  minimum: 'select(b, a, a < b || a != a)',
  lt: 'T(a < b)',
  le: 'T(a <= b)',
  gt: 'T(a > b)',
  ge: 'T(a >= b)',
  eq: 'T(a == b)',
  ne: 'T(a != b)',
};

/** Math.pow semantics where WGSL's pow is undefined: negative bases with integer exponents, x^0 = 1. */
export const POW_WGSL = (type: string): string =>
  type === 'f32'
    ? /* wgsl */ `
fn powT(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (a < 0.0 && b == round(b)) {
    let r = pow(-a, b);
    return select(r, -r, (i32(b) & 1) == 1);
  }
  return pow(a, b);
}
`
    : /* wgsl */ `
fn powT(a: i32, b: i32) -> i32 {
  var r = 1;
  for (var e = 0; e < b; e++) { r *= a; }
  return r;
}
`;

const LOAD: Record<string, [string, string]> = {
  same: ['av[i]', 'bv[i]'],
  scalarA: ['av[0]', 'bv[i]'],
  scalarB: ['av[i]', 'bv[0]'],
  strided: ['av[offsetOf(i, P(1u), 2u, 10u, 0)]', 'bv[offsetOf(i, P(1u), 2u, 18u, 0)]'],
};

export const BINARY_MODES = Object.keys(LOAD);

export const binary = registerKernel<{ op: string; type: string; mode: string }>({
  name: 'binary',
  family: 'binary',
  source: ({
    op,
    type,
    mode,
  }) => /* wgsl */ `${PARAMS_WGSL}${flatIndexWGSL(WG)}${OFFSET_WGSL}${POW_WGSL(type)}
alias T = ${type};
@group(0) @binding(1) var<storage, read> av: array<T>;
@group(0) @binding(2) var<storage, read> bv: array<T>;
@group(0) @binding(3) var<storage, read_write> out: array<T>;
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg);
  if (i >= P(0u)) { return; }
  let a = ${LOAD[mode]![0]};
  let b = ${LOAD[mode]![1]};
  out[i] = ${BINARY_EXPR_WGSL[op]};
}
`,
});
