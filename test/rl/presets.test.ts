/**
 * `--preset garage-benchmark`: the resolved values (garage v2019.10.3's benchmark harness,
 * docs/presets.md), the user's settings win over the preset, an unknown preset is a
 * usage error naming the choices, `sr2l train --help` lists it, config.json records it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/index.js';
import { resolveConfig, TRPO_DEFAULTS } from '../../src/rl/trpo/config.js';
import { resolveDdpgConfig, DDPG_DEFAULTS } from '../../src/rl/ddpg/config.js';
import { ConfigError } from '../../src/rl/settings.js';
import { captureConsole } from '../helpers/console.js';
import { tempDirs } from '../helpers/temp-dirs.js';

const tempDir = tempDirs('sr2l-preset-');
afterEach(() => vi.restoreAllMocks());

describe('garage-benchmark preset, TRPO family', () => {
  it('resolves to the harness values (100-step episodes, whole paths of ≥ 1024 steps, Gaussian MLP baseline)', () => {
    const c = resolveConfig({ algo: 'trpo-sr', preset: 'garage-benchmark' });
    expect(c).toMatchObject({
      preset: 'garage-benchmark',
      maxEpisodeSteps: 100,
      batchSize: 1024,
      sampler: 'whole-paths',
      samplerEnvs: 4,
      iterations: 500,
      discount: 0.99,
      gaeLambda: 0.98,
      maxKl: 0.01,
      hidden: [64, 64],
      baseline: 'gaussian-mlp',
      baselineTarget: 'discounted-returns',
      normalizeObs: false,
      clipActions: true,
      centerAdvantages: true,
      initStd: 1,
    });
    // settings the harness does not touch keep their defaults (SR²L's among them)
    expect(c.eps).toBe(TRPO_DEFAULTS.eps);
    expect(c.pgdSteps).toBe(TRPO_DEFAULTS.pgdSteps);
    // and without a preset nothing changes
    expect(resolveConfig({}).maxEpisodeSteps).toBeNull();
    expect(resolveConfig({}).preset).toBeNull();
  });

  it("the user's settings win over the preset", () => {
    const c = resolveConfig({
      preset: 'garage-benchmark',
      hidden: [32, 32],
      batchSize: 2048,
      maxEpisodeSteps: null,
    });
    expect(c.hidden).toEqual([32, 32]);
    expect(c.batchSize).toBe(2048);
    expect(c.maxEpisodeSteps).toBeNull();
    expect(c.baseline).toBe('gaussian-mlp');
  });

  it('an unknown preset names the value and the choices', () => {
    expect(() => resolveConfig({ preset: 'garage' }, 'flags')).toThrow(ConfigError);
    expect(() => resolveConfig({ preset: 'garage' }, 'flags')).toThrow(
      /flags: preset = "garage" is unknown; allowed: garage-benchmark/,
    );
  });
});

describe('garage-benchmark preset, DDPG family', () => {
  it('resolves to the harness values', () => {
    const c = resolveDdpgConfig({ algo: 'ddpg-sr-a', preset: 'garage-benchmark' });
    expect(c).toMatchObject({
      preset: 'garage-benchmark',
      stepsPerCycle: 100,
      trainStepsPerCycle: 50,
      stepsPerIteration: 1000,
      actorLr: 1e-4,
      criticLr: 1e-3,
      tau: 0.01,
      discount: 0.9,
      bufferSize: 1e6,
      warmupSteps: 1e4,
      minibatchSize: 64,
      hidden: [64, 64],
      noise: 'ou',
      noiseSigma: 0.2,
      maxEpisodeSteps: null,
      timeLimitAsTerminal: true,
    });
    expect(c.eps).toBe(DDPG_DEFAULTS.eps);
  });

  it("the user's settings win, and an unknown preset is refused", () => {
    expect(resolveDdpgConfig({ preset: 'garage-benchmark', discount: 0.99 }).discount).toBe(0.99);
    expect(() => resolveDdpgConfig({ preset: 'nope' })).toThrow(/preset = "nope" is unknown/);
  });
});

describe('sr2l train --preset', () => {
  it('--help lists the presets', async () => {
    const out = captureConsole();
    expect(await main(['train', '--help'])).toBe(0);
    expect(out.out()).toMatch(/--preset NAME.*garage-benchmark/s);
  });

  it('an unknown preset is a usage error before anything is written', async () => {
    const log = captureConsole();
    const out = join(await tempDir(), 'bad');
    expect(await main(['train', '--preset', 'garage2019', '--out', out, '--quiet'])).toBe(2);
    expect(log.err()).toMatch(/preset = "garage2019" is unknown; allowed: garage-benchmark/);
  });

  it('config.json records the preset and the resolved values, flags overriding it', async () => {
    captureConsole();
    const out = join(await tempDir(), 'run');
    const code = await main([
      'train',
      '--algo',
      'trpo-sr',
      '--env',
      'Pendulum-v1',
      '--preset',
      'garage-benchmark',
      '--iterations',
      '1',
      '--batch-size',
      '64',
      '--eval-every',
      '0',
      '--eps-scale',
      'obs-std',
      '--regularizer-form',
      'wasserstein',
      '--wasserstein-gamma',
      '5',
      '--out',
      out,
      '--quiet',
    ]);
    expect(code).toBe(0);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as Record<string, unknown>;
    const settings = (config.config ?? config) as Record<string, unknown>;
    expect(settings).toMatchObject({
      preset: 'garage-benchmark',
      maxEpisodeSteps: 100,
      baseline: 'gaussian-mlp',
      batchSize: 64,
      iterations: 1,
      epsScale: 'obs-std',
      regularizerForm: 'wasserstein',
      wassersteinGamma: 5,
    });
    const csv = readFileSync(join(out, 'progress.csv'), 'utf8').trim().split('\n');
    const header = csv[0]!.split(',');
    const row = csv[1]!.split(',');
    expect(Number(row[header.indexOf('SmoothnessReg')])).toSatisfy(Number.isFinite);
  });

  it('DDPG-SR-A: the preset, ε in std units and the Wasserstein form train and are recorded', async () => {
    captureConsole();
    const out = join(await tempDir(), 'ddpg');
    const flags = ['--algo', 'ddpg-sr-a', '--env', 'Pendulum-v1', '--preset', 'garage-benchmark'];
    const budget = ['--iterations', '1', '--steps-per-iteration', '200', '--warmup-steps', '100'];
    const sr = ['--eps-scale', 'obs-std', '--regularizer-form', 'wasserstein', '--wasserstein-gamma', '0.5'];
    const code = await main([
      'train',
      ...flags,
      ...budget,
      ...sr,
      '--train-steps-per-cycle',
      '5',
      '--eval-every',
      '0',
      '--out',
      out,
      '--quiet',
    ]);
    expect(code).toBe(0);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect((config.config ?? config) as Record<string, unknown>).toMatchObject({
      preset: 'garage-benchmark',
      discount: 0.9,
      stepsPerIteration: 200,
      epsScale: 'obs-std',
      regularizerForm: 'wasserstein',
      wassersteinGamma: 0.5,
    });
    const [head, row] = readFileSync(join(out, 'progress.csv'), 'utf8').trim().split('\n');
    const value = Number(row!.split(',')[head!.split(',').indexOf('SmoothnessReg')]);
    expect(value).toSatisfy(Number.isFinite);
  }, 30_000);
});
