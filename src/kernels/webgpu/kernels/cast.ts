/**
 * cast: out[i] = T(x[i]) between f32 and i32 (f32 → i32 truncates toward zero, as the CPU
 * backend's Math.trunc does).
 * Layout: params [count]; binding 1 x, 2 out.
 * Workgroup 64: one element per invocation, portable size.
 */
import { registerKernel } from '../registry.js';
import { flatIndexWGSL, PARAMS_WGSL } from '../wgsl.js';

const WG = 64;

export const cast = registerKernel<{ from: string; to: string }>({
  name: 'cast',
  family: 'cast',
  source: ({ from, to }) => /* wgsl */ `${PARAMS_WGSL}${flatIndexWGSL(WG)}
@group(0) @binding(1) var<storage, read> xs: array<${from}>;
@group(0) @binding(2) var<storage, read_write> out: array<${to}>;
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg);
  if (i >= P(0u)) { return; }
  out[i] = ${to}(xs[i]);
}
`,
});
