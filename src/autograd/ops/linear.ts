/**
 * The fused linear layer act(x·W + b) (W is [in, out]) and the activation gradient it
 * needs. One kernel call forward; backward is three mm's and one activationGrad, all
 * differentiable, so second derivatives (TRPO's Fisher-vector products) work through it.
 */
import type { Activation } from '../../kernels/backend.js';
import { ACTIVATIONS } from '../../kernels/backend.js';
import { fmtShape } from '../../kernels/shape.js';
import { record } from '../record.js';
import type { Tensor } from '../tensor.js';
import { assertFloat, pair } from './helpers.js';
import { mul, sub } from './binary.js';
import { mm } from './matmul.js';
import { reshape } from './movement.js';
import { sum } from './reduce.js';

export function linear(x: Tensor, w: Tensor, b: Tensor | null = null, act: Activation = 'none'): Tensor {
  [x, w] = pair('linear', x, w);
  if (b) pair('linear', x, b);
  assertFloat('linear', x);
  if (!ACTIVATIONS.includes(act))
    throw new RangeError(`linear: unknown activation '${act}'; allowed: ${ACTIVATIONS.join(', ')}`);
  if (
    w.ndim !== 2 ||
    x.ndim < 1 ||
    x.shape[x.ndim - 1] !== w.shape[0] ||
    (b && (b.ndim !== 1 || b.shape[0] !== w.shape[1]))
  ) {
    throw new RangeError(
      `linear: expected x [..., in], W [in, out], b [out]; got x ${fmtShape(x.shape)}, W ${fmtShape(w.shape)}${b ? `, b ${fmtShape(b.shape)}` : ''}`,
    );
  }
  if (x.ndim !== 2) {
    const lead = x.shape.slice(0, -1);
    const y2 = linear(reshape(x, [-1, w.shape[0]!]), w, b, act);
    return reshape(y2, [...lead, w.shape[1]!]);
  }
  const [m, k] = x.shape as [number, number];
  const n = w.shape[1]!;
  const inputs = b ? [x, w, b] : [x, w];
  const y: Tensor = record(
    'linear',
    x.backend.linear(x.storage, w.storage, b ? b.storage : null, m, k, n, act),
    [m, n],
    x.backend,
    inputs,
    (g, needs) => linearGradients(act, x, w, y, g, needs, 0),
    { activation: act },
  );
  return y;
}

/**
 * The gradients of y = act(x·W + b) for x, W and b (those `needs` asks for), from g = ∂L/∂y:
 * two (batched) mm's and a sum over the rows axis `rowsAxis`, all differentiable. Shared by
 * linear ([M, K]·[K, N]) and stackedLinear ([S, M, K]·[S, K, N]).
 */
export function linearGradients(
  act: Activation,
  x: Tensor,
  w: Tensor,
  y: Tensor,
  g: Tensor,
  needs: readonly boolean[],
  rowsAxis: number,
): (Tensor | null)[] {
  const gz = activationGrad(act, y, g);
  return [
    needs[0] ? mm(gz, w, false, true) : null,
    needs[1] ? mm(x, gz, true, false) : null,
    needs[2] ? sum(gz, rowsAxis) : null,
  ];
}

/** g · act'(z) in terms of y = act(z): tanh 1−y², relu [y>0], sigmoid y(1−y). */
export function activationGrad(act: Activation, y: Tensor, g: Tensor): Tensor {
  if (act === 'none') return g;
  return record(
    'activationGrad',
    y.backend.activationGrad(act, y.storage, g.storage),
    g.shape,
    y.backend,
    [y, g],
    (gg, needs) => {
      // d/dg is the same map applied to gg; d/dy is its derivative in y times g·gg
      const dg = needs[1] ? activationGrad(act, y, gg) : null;
      let dy: Tensor | null = null;
      if (needs[0] && act !== 'relu') {
        const gxg = mul(g, gg);
        dy = act === 'tanh' ? mul(gxg, mul(y, -2)) : mul(gxg, sub(1, mul(y, 2)));
      }
      return [dy, dg];
    },
    { activation: act },
  );
}
