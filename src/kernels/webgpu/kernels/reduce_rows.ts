/**
 * reduce_rows: sum or max over any set of axes, one invocation per output element looping
 * over its reduced set. Best when there are many outputs (e.g. a row-wise sum of [1000, 64]).
 * Layout: see reduce-common.ts; binding 1 x, 2 out.
 * Workgroup 64: outputs are independent, so a portable size with no shared memory.
 */
import { registerKernel } from '../registry.js';
import { flatIndexWGSL } from '../wgsl.js';
import { reducePrelude } from './reduce-common.js';

const WG = 64;

export const reduceRows = registerKernel<{ op: string; type: string }>({
  name: 'reduce_rows',
  family: 'reduce',
  source: ({ op, type }) => /* wgsl */ `${reducePrelude(op, type)}${flatIndexWGSL(WG)}
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let o = flatIndex(gid, nwg);
  if (o >= P(0u)) { return; }
  out[o] = reduceRange(o, 0u, 1u);
}
`,
});
