/** Shared test helpers: seeded float64 inputs. */
import * as sr from '../../src/index.js';

export function randF64(shape: number[], seed: number, lo = -1, hi = 1): sr.Tensor {
  return sr.rng(seed).uniform(shape, lo, hi, { dtype: 'float64' });
}

/** Values bounded away from zero (for log, sqrt, div, pow bases). */
export function positiveF64(shape: number[], seed: number): sr.Tensor {
  return randF64(shape, seed, 0.5, 2);
}

export function nested(t: sr.Tensor): number[] {
  return Array.from(t.dataSync());
}
