/**
 * gather: out[o, l, n] = x[o, idx[l], n], with x viewed as [outer, len, inner] around the
 * axis and idx flattened to L entries. An index outside [0, len) yields NaN (0 for int32):
 * the host checks indices it knows, but a kernel cannot throw.
 * Layout: params [count, inner, L, len, NaN bits]; binding 1 x, 2 idx (i32), 3 out
 * (NaN comes in as bits: a NaN literal is a WGSL compile error).
 * Workgroup 64: one output element per invocation, portable size.
 */
import { registerKernel } from '../registry.js';
import { flatIndexWGSL, PARAMS_WGSL } from '../wgsl.js';

const WG = 64;

export const gather = registerKernel<{ type: string }>({
  name: 'gather',
  family: 'gather',
  source: ({ type }) => /* wgsl */ `${PARAMS_WGSL}${flatIndexWGSL(WG)}
@group(0) @binding(1) var<storage, read> xs: array<${type}>;
@group(0) @binding(2) var<storage, read> idx: array<i32>;
@group(0) @binding(3) var<storage, read_write> out: array<${type}>;
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg);
  if (i >= P(0u)) { return; }
  let inner = P(1u);
  let L = P(2u);
  let len = P(3u);
  let n = i % inner;
  let l = (i / inner) % L;
  let o = i / (inner * L);
  let k = idx[l];
  if (k < 0 || u32(k) >= len) {
    out[i] = bitcast<${type}>(P(4u));
    return;
  }
  out[i] = xs[(o * len + u32(k)) * inner + n];
}
`,
});
