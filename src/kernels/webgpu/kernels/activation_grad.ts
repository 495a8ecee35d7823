/**
 * activation_grad: out[i] = g[i] · act'(z) written in terms of the activation's output
 * y[i]: tanh 1 − y², relu [y > 0], sigmoid y(1 − y) (the fused linear layer's backward).
 * Layout: params [count]; binding 1 y, 2 g, 3 out.
 * Workgroup 64: one element per invocation, portable size.
 */
import { registerKernel } from '../registry.js';
import { flatIndexWGSL, PARAMS_WGSL } from '../wgsl.js';

const WG = 64;

const DERIV: Record<string, string> = {
  none: 'g',
  tanh: 'g * (1.0 - y * y)',
  relu: 'select(0.0, g, y > 0.0)',
  sigmoid: 'g * y * (1.0 - y)',
};

export const activationGrad = registerKernel<{ act: string }>({
  name: 'activation_grad',
  family: 'activationGrad',
  source: ({ act }) => /* wgsl */ `${PARAMS_WGSL}${flatIndexWGSL(WG)}
@group(0) @binding(1) var<storage, read> ys: array<f32>;
@group(0) @binding(2) var<storage, read> gs: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg);
  if (i >= P(0u)) { return; }
  let y = ys[i];
  let g = gs[i];
  out[i] = ${DERIV[act]};
}
`,
});
