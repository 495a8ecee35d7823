/**
 * DDPG / DDPG-SR-A / DDPG-SR-C presets (see ../presets.ts). garage-benchmark: garage
 * v2019.10.3's DDPG benchmark harness (tests/benchmarks/garage/tf/algos/test_benchmark_ddpg.py,
 * the same file in v2019.10.0 … v2019.10.3), with the paper's 1K environment steps per
 * iteration (§5). docs/presets.md has every value, its source, and what we cannot match.
 */
import type { DdpgConfig } from './config.js';
import type { PresetTable } from '../presets.js';

export const DDPG_PRESETS: PresetTable<DdpgConfig> = {
  'garage-benchmark': {
    // params: n_rollout_steps 100, n_train_steps 50 (per cycle); 20 cycles per epoch = 2000 steps,
    // the paper's iteration is 1K steps
    stepsPerCycle: 100,
    trainStepsPerCycle: 50,
    stepsPerIteration: 1000,
    iterations: 500,
    // params: policy_lr 1e-4, qf_lr 1e-3, tau 1e-2, discount 0.9, replay_buffer_size 1e6
    actorLr: 1e-4,
    criticLr: 1e-3,
    tau: 0.01,
    discount: 0.9,
    bufferSize: 1_000_000,
    // DDPG(min_buffer_size=int(1e4)); buffer_batch_size default 64
    warmupSteps: 10_000,
    randomWarmup: false,
    minibatchSize: 64,
    // policy and QF hidden sizes [64, 64], ReLU (tanh policy output)
    hidden: [64, 64],
    // OUStrategy(sigma=0.2) with its defaults theta 0.15, dt 1e-2
    noise: 'ou',
    noiseSigma: 0.2,
    noiseTheta: 0.15,
    noiseDt: 0.01,
    // DDPG's max_path_length=None: episodes end at gym's TimeLimit (1000 for the MuJoCo tasks)
    maxEpisodeSteps: null,
    timeLimitAsTerminal: true,
  },
};
