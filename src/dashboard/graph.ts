/**
 * The policy-loss graph of a checkpoint for the gradient inspector: `sr2l inspect`'s rebuilt
 * loss (rl/trpo/inspect.ts) with the engine's graph export, plus what the export leaves out
 * and the page shows on a click: each tensor's value range and a histogram of its values.
 */
import type { Tensor } from '../autograd/index.js';
import { inspectLoss } from '../rl/trpo/inspect.js';
import type { GraphNodeInfo, GraphResponse } from './api-types.js';
import { HttpError, resolveInside } from './safe-path.js';

export const HISTOGRAM_BINS = 20;

export function histogram(values: ArrayLike<number>, bins = HISTOGRAM_BINS): GraphNodeInfo['values'] {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
    count++;
  }
  if (count === 0) return null;
  const counts = new Array<number>(bins).fill(0);
  const width = (max - min) / bins;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) counts[width > 0 ? Math.min(bins - 1, Math.floor((v - min) / width)) : 0]!++;
  }
  return { min, max, mean: sum / count, count, bins: counts };
}

function tensorsById(root: Tensor): Map<number, Tensor> {
  const byId = new Map<number, Tensor>();
  const stack = [root];
  while (stack.length) {
    const t = stack.pop()!;
    if (byId.has(t.id)) continue;
    byId.set(t.id, t);
    stack.push(...(t.node?.inputs ?? []));
  }
  return byId;
}

export async function checkpointGraph(root: string, run: string, iteration: number): Promise<GraphResponse> {
  if (!Number.isInteger(iteration) || iteration < 0)
    throw new HttpError(400, `iteration must be a non-negative integer, got ${iteration}`);
  const dir = await resolveInside(root, run);
  let r;
  try {
    r = await inspectLoss(dir, iteration);
  } catch (e) {
    throw new HttpError(422, `${run}, checkpoint ${iteration}: ${(e as Error).message.replaceAll(dir, run)}`);
  }
  const byId = tensorsById(r.loss);
  const nodes = r.graph.nodes.map((n): GraphNodeInfo => {
    const t = byId.get(n.id);
    const values =
      t && t.backend.synchronous && !t.disposed ? histogram(t.backend.readSync(t.storage)) : null;
    const info: GraphNodeInfo = {
      id: n.id,
      op: n.op,
      shape: n.shape,
      dtype: n.dtype,
      isLeaf: n.isLeaf,
      values,
    };
    if (n.name !== undefined) info.name = n.name;
    if (n.gradNorm !== undefined) info.gradNorm = n.gradNorm;
    return info;
  });
  return { run, iteration, loss: r.loss.item(), nodes, edges: r.graph.edges };
}
