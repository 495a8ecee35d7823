/**
 * matmul_naive: C = act(op(A)·op(B) + bias), one invocation per output element running the
 * whole K loop from global memory. On CPU rasterizers (llvmpipe) this is often the fastest:
 * neighbouring invocations are SIMD lanes over adjacent columns, so B loads vectorize and
 * there are no barriers.
 * Layout: see matmul-common.ts. Dispatch (ceil(N/8), ceil(M/8), batch).
 * Workgroup 8×8: 64 invocations (portable), x over columns so lanes read adjacent B entries.
 */
import { registerKernel } from '../registry.js';
import { matmulPrelude, type MatmulConfig } from './matmul-common.js';

export const matmulNaive = registerKernel<MatmulConfig>({
  name: 'matmul_naive',
  family: 'matmul',
  alsoServes: ['linear', 'stackedLinear'],
  tile: [8, 8],
  source: (c) => /* wgsl */ `${matmulPrelude(c)}
@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  loadDims();
  let j = gid.x;
  let i = gid.y;
  if (i >= M || j >= N) { return; }
  let off = batchOffsets(gid.z);
  var acc = 0.0;
  for (var p = 0u; p < K; p++) { acc += loadA(off.x, i, p) * loadB(off.y, p, j); }
  store(gid.z, i, j, acc);
}
`,
});
