/**
 * scatter_strided: out[offset + Σ index_d · strides_d] = x[i] for the row-major index of i
 * in xShape; the other elements of out are left as they are (the backend zero-fills first
 * for Backend.scatterStrided; Backend.concat writes each input into its slice of the output).
 * Positions must not overlap.
 * Layout: params [count, rank, offset, xShape[8], strides[8]] (words 0, 1, 2, 3, 11);
 * binding 1 x, 2 out (read_write).
 * Workgroup 64: one input element per invocation, portable size.
 */
import { registerKernel } from '../registry.js';
import { flatIndexWGSL, OFFSET_WGSL, PARAMS_WGSL } from '../wgsl.js';

const WG = 64;

export const scatterStrided = registerKernel<{ type: string }>({
  name: 'scatter_strided',
  family: 'scatterStrided',
  alsoServes: ['concat'],
  source: ({ type }) => /* wgsl */ `${PARAMS_WGSL}${flatIndexWGSL(WG)}${OFFSET_WGSL}
@group(0) @binding(1) var<storage, read> xs: array<${type}>;
@group(0) @binding(2) var<storage, read_write> out: array<${type}>;
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg);
  if (i >= P(0u)) { return; }
  out[offsetOf(i, P(1u), 3u, 11u, bitcast<i32>(P(2u)))] = xs[i];
}
`,
});
