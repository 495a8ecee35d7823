/**
 * The recorded graph behind a tensor, as JSON (for tools) or Graphviz DOT (to look at):
 * one node per tensor with its op, shape, dtype, name and, where a gradient is stored,
 * the gradient's L2 norm.
 */
import { topoSort } from './engine.js';
import type { Tensor } from './tensor.js';

export interface GraphNode {
  id: number;
  op: string;
  name?: string;
  shape: number[];
  dtype: string;
  requiresGrad: boolean;
  isLeaf: boolean;
  gradNorm?: number;
  attrs?: Record<string, unknown>;
}

export interface GraphJson {
  nodes: GraphNode[];
  /** [input id, output id] pairs */
  edges: [number, number][];
}

function l2(t: Tensor): number | undefined {
  if (!t.backend.synchronous || t.disposed) return undefined;
  const d = t.backend.readSync(t.storage);
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i]! * d[i]!;
  return Math.sqrt(s);
}

export function exportGraph(root: Tensor): GraphJson {
  const order = root.requiresGrad ? topoSort([root]) : [root];
  const nodes: GraphNode[] = [];
  const edges: [number, number][] = [];
  for (const t of order) {
    const n: GraphNode = {
      id: t.id,
      op: t.node ? t.node.op : 'leaf',
      shape: t.shape.slice(),
      dtype: t.dtype,
      requiresGrad: t.requiresGrad,
      isLeaf: t.isLeaf,
    };
    if (t.name !== undefined) n.name = t.name;
    if (t.grad) {
      const g = l2(t.grad);
      if (g !== undefined) n.gradNorm = g;
    }
    if (t.node?.attrs) n.attrs = t.node.attrs;
    nodes.push(n);
    for (const x of t.node?.inputs ?? []) if (x.requiresGrad) edges.push([x.id, t.id]);
  }
  return { nodes, edges };
}

export function toDot(root: Tensor | { toDot(): string }): string {
  // a compiled function (sr.compile) draws its plan
  if (!('shape' in root)) return root.toDot();
  const g = exportGraph(root);
  const esc = (s: string): string => s.replace(/["\\]/g, '\\$&');
  const lines = ['digraph sr2l {', '  rankdir=LR;', '  node [shape=record, fontname="monospace"];'];
  for (const n of g.nodes) {
    const title = n.name ? `${n.name} (${n.op})` : n.op;
    const grad = n.gradNorm !== undefined ? `|‖grad‖ ${n.gradNorm.toPrecision(4)}` : '';
    const style = n.isLeaf ? ', style=filled, fillcolor="#e8f0fe"' : '';
    lines.push(`  t${n.id} [label="{${esc(title)}|[${n.shape.join(', ')}] ${n.dtype}${grad}}"${style}];`);
  }
  for (const [a, b] of g.edges) lines.push(`  t${a} -> t${b};`);
  lines.push('}');
  return lines.join('\n');
}
