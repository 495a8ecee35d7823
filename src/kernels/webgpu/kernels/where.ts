/**
 * where: out[i] = cond != 0 ? a : b, all three broadcast to the output shape.
 * Layout: params [count, rank, shape[8], condStrides[8], aStrides[8], bStrides[8]]
 * (words 0, 1, 2, 10, 18, 26); binding 1 cond, 2 a, 3 b, 4 out.
 * Workgroup 64: one output element per invocation, portable size.
 */
import { registerKernel } from '../registry.js';
import { flatIndexWGSL, OFFSET_WGSL, PARAMS_WGSL } from '../wgsl.js';

const WG = 64;

export const where = registerKernel<{ type: string; condType: string }>({
  name: 'where',
  family: 'where',
  source: ({ type, condType }) => /* wgsl */ `${PARAMS_WGSL}${flatIndexWGSL(WG)}${OFFSET_WGSL}
@group(0) @binding(1) var<storage, read> cv: array<${condType}>;
@group(0) @binding(2) var<storage, read> av: array<${type}>;
@group(0) @binding(3) var<storage, read> bv: array<${type}>;
@group(0) @binding(4) var<storage, read_write> out: array<${type}>;
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg);
  if (i >= P(0u)) { return; }
  let rank = P(1u);
  let c = cv[offsetOf(i, rank, 2u, 10u, 0)];
  out[i] = select(bv[offsetOf(i, rank, 2u, 26u, 0)], av[offsetOf(i, rank, 2u, 18u, 0)], c != ${condType}(0));
}
`,
});
