/**
 * The fused linear layer of a population: S layers act(x[s]·W[s] + b[s]) in one op, with
 * W [S, in, out], x [S, ..., in], b [S, out]. Forward is one kernel call whose slices are
 * computed exactly as `linear` computes each alone; backward is two batched mm's, a sum
 * and activationGrad, all differentiable, so Fisher-vector products of all S networks come
 * from one Hessian-vector product.
 */
import type { Activation } from '../../kernels/backend.js';
import { ACTIVATIONS } from '../../kernels/backend.js';
import { fmtShape } from '../../kernels/shape.js';
import { record } from '../record.js';
import type { Tensor } from '../tensor.js';
import { assertFloat, pair } from './helpers.js';
import { linearGradients } from './linear.js';
import { reshape } from './movement.js';

export function stackedLinear(
  x: Tensor,
  w: Tensor,
  b: Tensor | null = null,
  act: Activation = 'none',
): Tensor {
  [x, w] = pair('stackedLinear', x, w);
  if (b) pair('stackedLinear', x, b);
  assertFloat('stackedLinear', x);
  if (!ACTIVATIONS.includes(act))
    throw new RangeError(`stackedLinear: unknown activation '${act}'; allowed: ${ACTIVATIONS.join(', ')}`);
  const [s, k, n] = w.shape as [number, number, number];
  if (
    w.ndim !== 3 ||
    x.ndim < 2 ||
    x.shape[0] !== s ||
    x.shape[x.ndim - 1] !== k ||
    (b && (b.ndim !== 2 || b.shape[0] !== s || b.shape[1] !== n))
  ) {
    throw new RangeError(
      `stackedLinear: expected x [S, ..., in], W [S, in, out], b [S, out]; got x ${fmtShape(x.shape)}, W ${fmtShape(w.shape)}${b ? `, b ${fmtShape(b.shape)}` : ''}`,
    );
  }
  if (x.ndim !== 3) {
    const lead = x.shape.slice(0, -1);
    const y3 = stackedLinear(reshape(x, [s, -1, k]), w, b, act);
    return reshape(y3, [...lead, n]);
  }
  const m = x.shape[1]!;
  const inputs = b ? [x, w, b] : [x, w];
  const y: Tensor = record(
    'stackedLinear',
    x.backend.stackedLinear(x.storage, w.storage, b ? b.storage : null, s, m, k, n, act),
    [s, m, n],
    x.backend,
    inputs,
    // per slice the very calls linear's backward makes, batched over S
    (g, needs) => linearGradients(act, x, w, y, g, needs, 1),
    { activation: act },
  );
  return y;
}
