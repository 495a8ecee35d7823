/**
 * scatter_add: the adjoint of gather. out[o, p, n] = Σ_{l : idx[l] = p} g[o, l, n], with
 * out viewed as [outer, len, inner]. WGSL has no float atomics, so each invocation owns one
 * output element and loops over all L indices: O(size · L) work, no races, deterministic order.
 * Layout: params [count, inner, L, len]; binding 1 g, 2 idx (i32), 3 out.
 * Workgroup 64: one output element per invocation, portable size.
 */
import { registerKernel } from '../registry.js';
import { flatIndexWGSL, PARAMS_WGSL } from '../wgsl.js';

const WG = 64;

export const scatterAdd = registerKernel<{ type: string }>({
  name: 'scatter_add',
  family: 'scatterAdd',
  source: ({ type }) => /* wgsl */ `${PARAMS_WGSL}${flatIndexWGSL(WG)}
@group(0) @binding(1) var<storage, read> gs: array<${type}>;
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
  let p = i32((i / inner) % len);
  let o = i / (inner * len);
  var acc = ${type}(0);
  for (var l = 0u; l < L; l++) {
    if (idx[l] == p) { acc += gs[(o * L + l) * inner + n]; }
  }
  out[i] = acc;
}
`,
});
