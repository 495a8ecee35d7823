/**
 * fused_elementwise: one element per invocation runs a chain of unary/binary/compare ops
 * (compiled steps' fusion, Backend.fusedElementwise) and stores the results named by the
 * spec. `code` is the body built by fusedBodyWGSL from the same expressions as the unary
 * and binary kernels. Layout: params [count]; bindings 1..nIn inputs (scalar inputs are
 * read at element 0), then nOut outputs, all contiguous. Workgroup 64.
 */
import type { FusedSpec } from '../../backend.js';
import { registerKernel } from '../registry.js';
import { flatIndexWGSL, LOG1P_WGSL, PARAMS_WGSL, UNARY_WGSL } from '../wgsl.js';
import { BINARY_EXPR_WGSL, POW_WGSL } from './binary.js';

const WG = 64;

/** The WGSL statements of a spec's chain for element i (inputs x0.., results t0..). */
export function fusedBodyWGSL(spec: FusedSpec): string {
  const operand = (a: { input: number } | { value: number }): string =>
    'input' in a ? `x${a.input}` : `t${a.value}`;
  const loads = spec.scalar.map((s, k) => `let x${k} = in${k}[${s ? '0u' : 'i'}];`);
  const ops = spec.ops.map((o, j) => {
    const unary = o.args.length === 1;
    const binds = unary
      ? `let x = ${operand(o.args[0]!)};`
      : `let a = ${operand(o.args[0]!)}; let b = ${operand(o.args[1]!)};`;
    const expr = unary ? UNARY_WGSL[o.op]! : BINARY_EXPR_WGSL[o.op]!;
    return `var t${j}: T; { ${binds} t${j} = ${expr}; }`;
  });
  const stores = spec.stores.map((st) => `out${st.out}[i] = t${st.value};`);
  return [...loads, ...ops, ...stores].join('\n  ');
}

export const fusedElementwise = registerKernel<{ code: string; nIn: number; nOut: number }>({
  name: 'fused_elementwise',
  family: 'fusedElementwise',
  source: ({ code, nIn, nOut }) => {
    const bindings = [
      ...Array.from(
        { length: nIn },
        (_, k) => `@group(0) @binding(${1 + k}) var<storage, read> in${k}: array<T>;`,
      ),
      ...Array.from(
        { length: nOut },
        (_, k) => `@group(0) @binding(${1 + nIn + k}) var<storage, read_write> out${k}: array<T>;`,
      ),
    ];
    return /* wgsl */ `${PARAMS_WGSL}${flatIndexWGSL(WG)}${LOG1P_WGSL}${POW_WGSL('f32')}
alias T = f32;
${bindings.join('\n')}
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg);
  if (i >= P(0u)) { return; }
  ${code}
}
`;
  },
});
