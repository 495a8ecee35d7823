/**
 * fill: out[i] = value for i < count.
 * Layout: params [count, value bits]; binding 1 out (read_write).
 * Workgroup 64: a portable size (≤ every adapter's limit), one element per invocation.
 */
import { registerKernel } from '../registry.js';
import { flatIndexWGSL, PARAMS_WGSL } from '../wgsl.js';

const WG = 64;

export const fill = registerKernel<{ type: string }>({
  name: 'fill',
  family: 'fill',
  source: ({ type }) => /* wgsl */ `${PARAMS_WGSL}${flatIndexWGSL(WG)}
@group(0) @binding(1) var<storage, read_write> out: array<${type}>;
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg);
  if (i >= P(0u)) { return; }
  out[i] = bitcast<${type}>(P(1u));
}
`,
});
