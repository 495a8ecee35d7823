/** Creates an op's output tensor and, when recording, the graph node behind it. */
import type { Backend, Storage } from '../kernels/backend.js';
import type { Shape } from '../kernels/shape.js';
import { checkAnomaly, isAnomalyMode } from './anomaly.js';
import { isGradEnabled } from './grad-mode.js';
import { Tensor, type Node } from './tensor.js';

export function record(
  op: string,
  storage: Storage,
  shape: Shape,
  backend: Backend,
  inputs: readonly Tensor[],
  backward: Node['backward'],
  attrs?: Record<string, unknown>,
): Tensor {
  const t = constantResult(op, storage, shape, backend, inputs);
  if (isGradEnabled()) {
    for (let i = 0; i < inputs.length; i++) {
      if (inputs[i]!.requiresGrad) {
        t.requiresGrad = true;
        t.node = attrs ? { op, inputs, backward, attrs } : { op, inputs, backward };
        break;
      }
    }
  }
  return t;
}

/** An output that never carries a gradient (comparisons, casts to int, constants). */
export function constantResult(
  op: string,
  storage: Storage,
  shape: Shape,
  backend: Backend,
  inputs: readonly Tensor[],
): Tensor {
  const t = new Tensor(storage, shape, backend);
  if (isAnomalyMode())
    checkAnomaly(
      op,
      backend,
      storage,
      inputs.map((x) => x.shape),
    );
  return t;
}
