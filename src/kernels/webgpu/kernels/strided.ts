/**
 * strided: out[i] = x[offset + Σ index_d · strides_d] for the row-major index of i in
 * outShape — permute, broadcast and slice as one gather. Strides may be negative or 0.
 * Layout: params [count, rank, offset, outShape[8], strides[8]] (words 0, 1, 2, 3, 11);
 * binding 1 x, 2 out.
 * Workgroup 64: one output element per invocation, portable size.
 */
import { registerKernel } from '../registry.js';
import { flatIndexWGSL, OFFSET_WGSL, PARAMS_WGSL } from '../wgsl.js';

const WG = 64;

export const strided = registerKernel<{ type: string }>({
  name: 'strided',
  family: 'strided',
  source: ({ type }) => /* wgsl */ `${PARAMS_WGSL}${flatIndexWGSL(WG)}${OFFSET_WGSL}
@group(0) @binding(1) var<storage, read> xs: array<${type}>;
@group(0) @binding(2) var<storage, read_write> out: array<${type}>;
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg);
  if (i >= P(0u)) { return; }
  out[i] = xs[offsetOf(i, P(1u), 3u, 11u, bitcast<i32>(P(2u)))];
}
`,
});
