/**
 * compiled.explain(): the program as text, for people who extend kernels: one line per
 * step (kernel, its shape arguments, where operands live, the buffer it writes, the call
 * site it was traced from), then what the planner removed and how buffers were shared.
 * Operand names: in0 (argument tensor 0), b3 (program buffer 3), cap2 (a captured
 * tensor, read by reference), const1 (a constant made at trace time).
 */
import type { Storage } from '../../kernels/backend.js';
import { bytesOf, isRefArg, type PlannedArg, type Step } from './plan.js';
import type { Program } from './replay.js';

function fmtBytes(n: number): string {
  return n >= 2 ** 20
    ? `${(n / 2 ** 20).toFixed(2)} MiB`
    : n >= 1024
      ? `${(n / 1024).toFixed(1)} KiB`
      : `${n} B`;
}

export function explainPlan(who: string, signature: string, program: Program): string {
  const plan = program.plan;
  const fixedNames = new Map<Storage, string>();
  let caps = 0;
  let consts = 0;
  const nameArg = (a: PlannedArg): string => {
    if (isRefArg(a)) {
      const r = a.ref;
      if (r.kind === 'input') return `in${r.slot}`;
      if (r.kind === 'buffer') return `b${r.index}`;
      let n = fixedNames.get(r.storage);
      if (n === undefined) fixedNames.set(r.storage, (n = r.constant ? `const${consts++}` : `cap${caps++}`));
      return n;
    }
    if (Array.isArray(a)) return `[${a.map(nameArg).join(', ')}]`; // shapes and operand lists
    if (typeof a === 'object' && a !== null) return '{…}';
    return String(a);
  };
  const line = (s: Step, i: number): string => {
    const head = `#${String(i).padStart(3)} `;
    const out =
      'out' in s && s.out >= 0
        ? ` → b${s.out} ${plan.buffers[s.out]!.dtype}×${plan.buffers[s.out]!.size}`
        : '';
    if (s.kind === 'fused') {
      const outs = s.outs.map((b) => `b${b}`).join(', ');
      return `${head}fused[${s.ops.join(' → ')}](${s.ins.map((r) => nameArg({ ref: r })).join(', ')}) → ${outs} ${s.spec.dtype}×${s.spec.n}   ← ${s.site}`;
    }
    const body =
      s.kind === 'kernel'
        ? `${s.kernel}(${s.args.map(nameArg).join(', ')})`
        : s.kind === 'fill'
          ? `fill(${s.value})`
          : s.kind === 'draw'
            ? 'draw (generator)'
            : 'host action';
    return `${head}${body}${out}   ← ${s.site}`;
  };
  const kernels = plan.steps.filter((s) => s.kind !== 'host').length;
  const fused = plan.steps.filter((s) => s.kind === 'fused');
  const fusedOps = fused.reduce((n, s) => n + s.ops.length, 0);
  const held = program.bytes;
  const unshared = plan.buffers.reduce((n, b) => n + b.values * b.size * bytesOf(b.dtype), 0);
  const lines = [
    `compiled ${who} for (${signature}): ${kernels} kernel calls, ${plan.steps.length - kernels} host actions`,
    ...plan.steps.map(line),
    `traced ${plan.traced} calls: ${plan.constants} folded into constants, ${plan.dead} dead (result unused) dropped${fused.length ? `, ${fusedOps} elementwise ops fused into ${fused.length} loops` : ''}`,
    `buffers: ${plan.buffers.length} holding ${plan.values} values, ${fmtBytes(held)} (${fmtBytes(unshared)} without reuse); captured tensors: ${plan.captured.length}`,
    ...(program.commands ? [program.commands.describe()] : []),
  ];
  return lines.join('\n');
}
