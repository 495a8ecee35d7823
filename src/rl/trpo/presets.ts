/**
 * TRPO / TRPO-SR presets (see ../presets.ts). garage-benchmark: garage v2019.10.3's
 * TRPO benchmark harness (tests/benchmarks/garage/tf/algos/test_benchmark_trpo.py, the
 * same file in v2019.10.0 … v2019.10.3), with the paper's explicit choices where it
 * states them (§5: 2 × 64 networks, 500 iterations). docs/presets.md has every value,
 * its source, and what we cannot match.
 */
import type { TrpoConfig } from './config.js';
import type { PresetTable } from '../presets.js';

export const TRPO_PRESETS: PresetTable<TrpoConfig> = {
  'garage-benchmark': {
    // TRPO(max_path_length=100, discount=0.99, gae_lambda=0.98, max_kl_step=0.01)
    maxEpisodeSteps: 100,
    discount: 0.99,
    gaeLambda: 0.98,
    maxKl: 0.01,
    // runner.train(n_epochs=976, batch_size=1024): 1024 steps per iteration; 500 iterations (paper §5)
    batchSize: 1024,
    iterations: 500,
    // OnPolicyVectorizedSampler: n_envs = 4 lockstep envs, whole paths until ≥ batch_size
    sampler: 'whole-paths',
    samplerEnvs: 4,
    // GaussianMLPPolicy hidden (32, 32) tanh in the harness; the paper says 64 × 64 for all tasks
    hidden: [64, 64],
    // GaussianMLPBaseline(regressor_args=dict(hidden_sizes=(32, 32), use_trust_region=True))
    baseline: 'gaussian-mlp',
    // batch_polopt.process_samples: the baseline fits discount_cumsum(rewards, discount)
    baselineTarget: 'discounted-returns',
    // TfEnv(normalize(env)): normalize_obs=False; actions rescaled from [-1, 1] and clipped
    normalizeObs: false,
    clipActions: true,
    // NPO defaults the harness keeps: center_adv=True; GaussianMLPPolicy init_std=1.0
    centerAdvantages: true,
    initStd: 1.0,
  },
};
