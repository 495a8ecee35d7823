/**
 * A compiled program as Graphviz DOT (`compiled.toDot()`, or `sr.toDot(compiled)`): one
 * box per step (kernel or fused loop, the buffer it writes), one per argument, captured
 * tensor and constant, and an edge from each value's producer to every step that reads it.
 */
import type { Storage } from '../../kernels/backend.js';
import { isRefArg, type PlannedArg, type Ref, type Step } from './plan.js';
import type { Program } from './replay.js';

function refsOf(step: Step): Ref[] {
  if (step.kind === 'fused') return step.ins;
  if (step.kind !== 'kernel') return [];
  const out: Ref[] = [];
  const visit = (a: PlannedArg): void => {
    if (isRefArg(a)) out.push(a.ref);
    else if (Array.isArray(a)) a.forEach(visit);
  };
  step.args.forEach(visit);
  return out;
}

function written(step: Step): number[] {
  if (step.kind === 'fused') return step.outs;
  return 'out' in step && step.out >= 0 ? [step.out] : [];
}

export function planToDot(who: string, program: Program): string {
  const esc = (s: string): string => s.replace(/["\\{}|<>]/g, '\\$&');
  const lines = [`digraph "${esc(who)}" {`, '  rankdir=LR;', '  node [shape=record, fontname="monospace"];'];
  const fixed = new Map<Storage, string>();
  const inputs = new Set<number>();
  const producer = new Map<number, string>(); // buffer → node of its latest writer
  const source = (r: Ref): string => {
    if (r.kind === 'input') {
      if (!inputs.has(r.slot)) {
        inputs.add(r.slot);
        lines.push(`  in${r.slot} [label="in${r.slot}", style=filled, fillcolor="#e8f0fe"];`);
      }
      return `in${r.slot}`;
    }
    if (r.kind === 'buffer') return producer.get(r.index) ?? `b${r.index}`;
    let n = fixed.get(r.storage);
    if (n === undefined) {
      n = `${r.constant ? 'const' : 'cap'}${fixed.size}`;
      fixed.set(r.storage, n);
      const color = r.constant ? '#f1f3f4' : '#fef7e0';
      lines.push(
        `  ${n} [label="${n}|${r.storage.dtype}×${r.storage.size}", style=filled, fillcolor="${color}"];`,
      );
    }
    return n;
  };
  program.plan.steps.forEach((s, i) => {
    const node = `s${i}`;
    const name = s.kind === 'kernel' ? s.kernel : s.kind === 'fused' ? `fused[${s.ops.join(' → ')}]` : s.kind;
    const outs = written(s)
      .map((b) => `b${b}`)
      .join(', ');
    lines.push(`  ${node} [label="#${i} ${esc(name)}${outs ? `|→ ${outs}` : ''}"];`);
    for (const src of new Set(refsOf(s).map(source))) lines.push(`  ${src} -> ${node};`);
    for (const b of written(s)) producer.set(b, node);
  });
  lines.push('}');
  return lines.join('\n');
}
