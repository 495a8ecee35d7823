/**
 * reduce_workgroup: sum or max over any set of axes, one workgroup per output element:
 * 64 invocations each combine a strided share of the reduced set, then a tree in
 * workgroup memory. Best for few outputs with long reductions (a loss over 4096 rows,
 * a bias gradient summed over a large batch).
 * Layout: see reduce-common.ts; binding 1 x, 2 out. Workgroups are laid out 2-D (x, y).
 * Workgroup 64: a power of two for the tree, and within every adapter's limit.
 */
import { registerKernel } from '../registry.js';
import { reducePrelude } from './reduce-common.js';

const WG = 64;

export const reduceWorkgroup = registerKernel<{ op: string; type: string }>({
  name: 'reduce_workgroup',
  family: 'reduce',
  source: ({ op, type }) => /* wgsl */ `${reducePrelude(op, type)}
var<workgroup> part: array<T, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let o = wid.x + wid.y * nwg.x;
  let live = o < P(0u);
  var v = init();
  if (live) { v = reduceRange(o, li, ${WG}u); }
  part[li] = v;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s >>= 1u) {
    if (li < s) { part[li] = combine(part[li], part[li + s]); }
    workgroupBarrier();
  }
  if (li == 0u && live) { out[o] = part[0]; }
}
`,
});
