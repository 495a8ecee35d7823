/**
 * unary: out[i] = op(x[i]) for the ops of Backend.unary (f32; neg/abs/sign/square also i32).
 * Layout: params [count]; binding 1 x, binding 2 out; both contiguous.
 * Workgroup 64: one element per invocation, a size every adapter allows.
 */
import { registerKernel } from '../registry.js';
import { flatIndexWGSL, LOG1P_WGSL, PARAMS_WGSL, UNARY_WGSL, UNARY_WGSL_I32 } from '../wgsl.js';

const WG = 64;

export const unary = registerKernel<{ op: string; type: string }>({
  name: 'unary',
  family: 'unary',
  supports: ({ op, type }) => (type === 'i32' ? op in UNARY_WGSL_I32 : op in UNARY_WGSL),
  source: ({ op, type }) => /* wgsl */ `${PARAMS_WGSL}${flatIndexWGSL(WG)}${LOG1P_WGSL}
@group(0) @binding(1) var<storage, read> xs: array<${type}>;
@group(0) @binding(2) var<storage, read_write> out: array<${type}>;
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg);
  if (i >= P(0u)) { return; }
  let x = xs[i];
  out[i] = ${(type === 'i32' ? UNARY_WGSL_I32 : UNARY_WGSL)[op]};
}
`,
});
