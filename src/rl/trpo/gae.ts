/**
 * Generalized advantage estimation (Schulman et al. 2016) over a batch of segments:
 * δ_t = r_t + γ V(s_{t+1}) − V(s_t), A_t = δ_t + γλ A_{t+1}, restarting at every
 * segment end. A terminated segment ends with V = 0; any other (time limit, batch cut)
 * bootstraps from the baseline's value of the next observation.
 */
import type { Segment } from './sampler.js';

export interface GaeResult {
  advantages: Float64Array;
  /** A + V: the λ-returns, the baseline's regression targets */
  returns: Float64Array;
}

/**
 * `values[i]` = V(s_i) for every step; `bootstrap[k]` = V of segment k's next
 * observation (ignored when it terminated).
 */
export function gae(
  rewards: Float64Array,
  values: Float64Array,
  segments: readonly Segment[],
  bootstrap: readonly number[],
  gamma: number,
  lambda: number,
): GaeResult {
  const n = rewards.length;
  const advantages = new Float64Array(n);
  const returns = new Float64Array(n);
  segments.forEach((seg, k) => {
    let next = seg.terminated ? 0 : bootstrap[k]!;
    let acc = 0;
    for (let i = seg.end - 1; i >= seg.start; i--) {
      const delta = rewards[i]! + gamma * next - values[i]!;
      acc = delta + gamma * lambda * acc;
      advantages[i] = acc;
      returns[i] = acc + values[i]!;
      next = values[i]!;
    }
  });
  return { advantages, returns };
}

/** (x − mean) / (std + 1e-8) over the batch (garage's center_adv). */
export function centered(x: Float64Array): Float64Array {
  let mean = 0;
  for (const v of x) mean += v;
  mean /= x.length;
  let variance = 0;
  for (const v of x) variance += (v - mean) ** 2;
  const std = Math.sqrt(variance / x.length);
  return x.map((v) => (v - mean) / (std + 1e-8));
}

/**
 * Discounted returns R_t = r_t + γ R_{t+1} within each segment, R after a terminated
 * segment = 0, else the segment's bootstrap value: garage's baseline targets
 * (`discount_cumsum(rewards, discount)` over whole paths, batch_polopt.py), for
 * `baselineTarget: discounted-returns`.
 */
export function discountedReturns(
  rewards: Float64Array,
  segments: readonly Segment[],
  bootstrap: readonly number[],
  gamma: number,
): Float64Array {
  const out = new Float64Array(rewards.length);
  segments.forEach((seg, k) => {
    let acc = seg.terminated ? 0 : bootstrap[k]!;
    for (let i = seg.end - 1; i >= seg.start; i--) {
      acc = rewards[i]! + gamma * acc;
      out[i] = acc;
    }
  });
  return out;
}
