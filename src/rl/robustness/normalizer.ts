/**
 * A frozen observation normalizer as tensor ops, the same map as NormalizeObservation.apply:
 * clip((obs − mean) / √(var + 1e-8), ±10). It sits inside EvalPolicy.mean, so attacks
 * perturb raw observations and differentiate through it.
 */
import * as sr from '../../autograd/index.js';
import type { Tensor } from '../../autograd/index.js';
import type { FloatDType } from '../../kernels/dtype.js';

export function observationNormalizer(
  mean: readonly number[],
  variance: readonly number[],
  dtype: FloatDType,
  epsilon = 1e-8,
  clip = 10,
): (x: Tensor) => Tensor {
  const m = sr.tensor(mean.slice(), { dtype });
  const invStd = sr.tensor(
    variance.map((v) => 1 / Math.sqrt(v + epsilon)),
    { dtype },
  );
  return (x) => x.sub(m).mul(invStd).clamp(-clip, clip);
}
