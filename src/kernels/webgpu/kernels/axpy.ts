/**
 * axpy: p[i] += alpha · x[i] in place.
 * Layout: params [count, alpha bits]; binding 1 x, 2 p (read_write).
 * Workgroup 64: one element per invocation, portable size.
 */
import { registerKernel } from '../registry.js';
import { flatIndexWGSL, PARAMS_WGSL } from '../wgsl.js';

const WG = 64;

export const axpy = registerKernel<Record<string, never>>({
  name: 'axpy',
  family: 'axpy',
  source: () => /* wgsl */ `${PARAMS_WGSL}${flatIndexWGSL(WG)}
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read_write> ps: array<f32>;
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg);
  if (i >= P(0u)) { return; }
  ps[i] = ps[i] + PF(1u) * xs[i];
}
`,
});
