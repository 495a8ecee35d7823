/** Small hand-built agents for the robustness tests (no training needed). */
import * as sr from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { type Critic, type EvalPolicy, mlpPolicy } from '../../src/rl/robustness/index.js';

/** A random tanh MLP policy obs → act (f64), optionally Gaussian with σ = 0.3. */
export function randomPolicy(obsDim: number, actDim: number, seed = 1, gaussian = false): EvalPolicy {
  const gen = sr.rng(seed);
  const sizes = [obsDim, 32, 32, actDim];
  const weights: Tensor[] = [];
  const biases: Tensor[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    weights.push(
      gen.randn([sizes[i]!, sizes[i + 1]!], { dtype: 'float64', std: 1.5 / Math.sqrt(sizes[i]!) }),
    );
    biases.push(gen.randn([sizes[i + 1]!], { dtype: 'float64', std: 0.1 }));
  }
  return mlpPolicy(
    { weights, biases },
    gaussian ? { logStd: sr.full([actDim], Math.log(0.3), { dtype: 'float64' }) } : {},
  );
}

/** Q(s, a) = −‖a − s[:actDim]‖² + Σ s: a smooth critic whose value depends on the action. */
export function quadraticCritic(actDim: number): Critic {
  return (obs, act) => {
    const target = sr.slice(obs, [0, 0], [obs.shape[0]!, actDim]);
    return act.sub(target).square().sum(-1).neg().add(obs.sum(-1));
  };
}

export function randomStates(rows: number, n: number, seed = 2): Tensor {
  return sr.rng(seed).randn([rows, n], { dtype: 'float64' });
}
