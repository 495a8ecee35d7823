/**
 * Diagonal Gaussian π(a|s) = N(μ(s), diag(σ²)) with a state-independent log-std, written
 * with tensor ops so every quantity (log-likelihood, KL, entropy, Jeffrey's divergence)
 * has first and second derivatives from the engine.
 */
import type { Tensor } from '../../autograd/index.js';

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * log π(a|s) per row: −½ Σ ((a−μ)/σ)² − Σ log σ − ½ d log 2π. mean/actions [B, d], logStd
 * [d] → [B]; for a population, mean/actions [S, B, d], logStd [S, 1, d] → [S, B].
 */
export function gaussianLogLikelihood(mean: Tensor, logStd: Tensor, actions: Tensor): Tensor {
  const d = mean.shape[mean.ndim - 1]!;
  const z = actions.sub(mean).mul(logStd.neg().exp());
  return z
    .square()
    .sum(-1)
    .mul(-0.5)
    .sub(logStd.ndim === 1 ? logStd.sum() : logStd.sum(-1))
    .sub(0.5 * d * LOG_2PI);
}

/**
 * KL(old ‖ new) per row for diagonal Gaussians:
 * Σ [log σn − log σo + (σo² + (μo − μn)²) / (2σn²) − ½]. Shapes as above; → [B].
 */
export function gaussianKl(meanOld: Tensor, logStdOld: Tensor, meanNew: Tensor, logStdNew: Tensor): Tensor {
  const varNew2 = logStdNew.mul(2).exp().mul(2);
  const num = logStdOld.mul(2).exp().add(meanOld.sub(meanNew).square());
  return num.div(varNew2).add(logStdNew.sub(logStdOld)).sub(0.5).sum(-1);
}

/** Entropy of the diagonal Gaussian (the same for every state): Σ log σ + ½ d (1 + log 2π). */
export function gaussianEntropy(logStd: Tensor): Tensor {
  const d = logStd.size;
  return logStd.sum().add(0.5 * d * (1 + LOG_2PI));
}

/**
 * The smoothness divergence of the paper's §5 for a Gaussian policy with shared σ:
 * D_J = ‖μ1 − μ2‖² / σ² (summed over action dims with each dim's σ). Eq. (6)'s Jeffrey's
 * divergence ½KL(P‖Q) + ½KL(Q‖P) of these two Gaussians is half of this; we use §5's
 * form so that λ_s means what it means in the paper. → [B].
 */
export function sharedStdJeffreys(mean1: Tensor, mean2: Tensor, logStd: Tensor): Tensor {
  return mean1.sub(mean2).square().mul(logStd.mul(-2).exp()).sum(-1);
}
