/**
 * Positions for a loss graph: each node in the layer of its longest path from an input, an
 * input just before its first consumer; within a layer nodes are ordered by the mean position
 * of their inputs so edges cross less. Deterministic: the same graph is always drawn the same way.
 */
export interface Placed {
  id: number;
  col: number;
  row: number;
}

export function layoutGraph(ids: readonly number[], edges: readonly [number, number][]): Placed[] {
  const inputs = new Map<number, number[]>(ids.map((id) => [id, []]));
  for (const [a, b] of edges) if (inputs.has(a)) inputs.get(b)?.push(a);
  const col = new Map<number, number>();
  // iterative depth-first: a loss graph can be deeper than the call stack allows recursion
  for (const start of ids) {
    const stack = [start];
    while (stack.length) {
      const id = stack[stack.length - 1]!;
      if (col.has(id)) {
        stack.pop();
        continue;
      }
      const pending = inputs.get(id)!.filter((a) => !col.has(a));
      if (pending.length) stack.push(...pending);
      else {
        col.set(id, Math.max(-1, ...inputs.get(id)!.map((a) => col.get(a)!)) + 1);
        stack.pop();
      }
    }
  }
  // an input (parameter, constant) sits just above its first consumer, not all in the top row
  const consumers = new Map<number, number[]>(ids.map((id) => [id, []]));
  for (const [a, b] of edges) if (inputs.has(b)) consumers.get(a)?.push(b);
  for (const id of ids)
    if (inputs.get(id)!.length === 0 && consumers.get(id)!.length)
      col.set(id, Math.min(...consumers.get(id)!.map((b) => col.get(b)!)) - 1);
  const row = new Map<number, number>();
  const byCol = new Map<number, number[]>();
  for (const id of ids) byCol.set(col.get(id)!, [...(byCol.get(col.get(id)!) ?? []), id]);
  for (const c of [...byCol.keys()].sort((a, b) => a - b)) {
    const members = byCol.get(c)!;
    const key = (id: number) => {
      const rs = inputs.get(id)!.map((a) => row.get(a) ?? 0);
      return rs.length ? rs.reduce((s, r) => s + r, 0) / rs.length : 0;
    };
    members
      .map((id, i) => ({ id, k: key(id), i }))
      .sort((a, b) => a.k - b.k || a.i - b.i)
      .forEach(({ id }, r) => row.set(id, r));
  }
  return ids.map((id) => ({ id, col: col.get(id)!, row: row.get(id)! }));
}
