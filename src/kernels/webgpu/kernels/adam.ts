/**
 * adam: one Adam/AdamW step in place, matching the CPU backend:
 *   m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²;  p ← p − lr (m/c1 / (√(v/c2) + ε) + wd p)
 * with bias corrections c1 = 1−β1^t, c2 = 1−β2^t computed on the host.
 * Layout: params [count, lr, β1, β2, ε, wd, c1, c2] (floats as bits); binding 1 g,
 * 2 p, 3 m, 4 v (p, m, v read_write only, never also bound read-only).
 * Workgroup 64: one parameter per invocation, portable size.
 */
import { registerKernel } from '../registry.js';
import { flatIndexWGSL, PARAMS_WGSL } from '../wgsl.js';

const WG = 64;

export const adam = registerKernel<Record<string, never>>({
  name: 'adam',
  family: 'adamUpdate',
  source: () => /* wgsl */ `${PARAMS_WGSL}${flatIndexWGSL(WG)}
@group(0) @binding(1) var<storage, read> gs: array<f32>;
@group(0) @binding(2) var<storage, read_write> ps: array<f32>;
@group(0) @binding(3) var<storage, read_write> ms: array<f32>;
@group(0) @binding(4) var<storage, read_write> vs: array<f32>;
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg);
  if (i >= P(0u)) { return; }
  let lr = PF(1u);
  let b1 = PF(2u);
  let b2 = PF(3u);
  let g = gs[i];
  let m = b1 * ms[i] + (1.0 - b1) * g;
  let v = b2 * vs[i] + (1.0 - b2) * g * g;
  ms[i] = m;
  vs[i] = v;
  let p = ps[i];
  ps[i] = p - lr * (m / PF(6u) / (sqrt(v / PF(7u)) + PF(4u)) + PF(5u) * p);
}
`,
});
