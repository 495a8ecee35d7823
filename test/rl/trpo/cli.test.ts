/**
 * `sr2l train` / `sr2l inspect` from the command line: bad settings stop before training
 * with a message naming the setting, the value and what is allowed; unknown env; a run
 * folder holding a different run is refused unless --force / --resume; config files.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/index.js';
import { parseCsv } from '../../../src/rl/run/csv-log.js';

const root = mkdtempSync(join(tmpdir(), 'sr2l-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let errors: string[] = [];
let logs: string[] = [];
beforeEach(() => {
  errors = [];
  logs = [];
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void logs.push(a.join(' ')));
});
afterEach(() => vi.restoreAllMocks());

const tiny = [
  '--env',
  'Pendulum-v1',
  '--iterations',
  '2',
  '--batch-size',
  '64',
  '--eval-every',
  '0',
  '--quiet',
];

describe('sr2l train: invalid settings stop before training', () => {
  const cases: [string[], RegExp][] = [
    [['--eps=-0.5'], /eps = -0\.5 is invalid; allowed: a number in \[0, ∞\)/],
    [['--iterations', '0'], /iterations = 0 is invalid; allowed: an integer in \[1, ∞\]/],
    [['--batch-size', 'many'], /--batch-size = "many" is invalid; allowed: a number/],
    [['--algo', 'ppo'], /algo = "ppo" is invalid; allowed: one of trpo, trpo-sr/],
    [['--discount', '1.5'], /discount = 1\.5 is invalid; allowed: a number in \[0, 1\]/],
    [['--pgd-ascent', 'adam'], /pgdAscent = "adam" is invalid; allowed: one of sign, gradient/],
    [['--env', 'Hopper-v9'], /env = "Hopper-v9" is invalid; allowed: one of .*Hopper-v2/],
  ];
  for (const [flags, message] of cases) {
    it(`${flags.join(' ')}`, async () => {
      const out = join(root, `bad-${flags[0]}`);
      const code = await main(['train', ...tiny, '--out', out, ...flags]);
      expect(code).toBe(2);
      expect(errors.join('\n')).toMatch(message);
      expect(existsSync(out)).toBe(false); // nothing was started
    });
  }

  it('an unknown flag, and a WebGPU backend that cannot be opened, stop before the run folder is touched', async () => {
    expect(await main(['train', '--learning-rate', '3'])).toBe(2);
    expect(errors.join('\n')).toMatch(/learning-rate/);
    const prev = process.env.SR2L_WEBGPU_BACKEND;
    process.env.SR2L_WEBGPU_BACKEND = 'no-such-backend';
    try {
      expect(await main(['train', ...tiny, '--backend', 'webgpu', '--out', join(root, 'gpu')])).toBe(2);
    } finally {
      if (prev === undefined) delete process.env.SR2L_WEBGPU_BACKEND;
      else process.env.SR2L_WEBGPU_BACKEND = prev;
    }
    expect(errors.join('\n')).toMatch(/no WebGPU adapter found.*no-such-backend/s);
    expect(existsSync(join(root, 'gpu'))).toBe(false);
  });

  it('a config file with an unknown setting or a bad value names the file and setting', async () => {
    const yml = join(root, 'bad.yaml');
    writeFileSync(yml, 'algo: trpo\nlambda-s: -1\n');
    expect(await main(['train', ...tiny, '--config', yml, '--out', join(root, 'y')])).toBe(2);
    expect(errors.join('\n')).toMatch(/bad\.yaml.*lambdaS = -1 is invalid/);
    const json = join(root, 'bad.json');
    writeFileSync(json, JSON.stringify({ learningRate: 3 }));
    expect(await main(['train', ...tiny, '--config', json, '--out', join(root, 'j')])).toBe(2);
    expect(errors.join('\n')).toMatch(/unknown setting 'learningRate'/);
  });
});

describe('sr2l train: run folders', () => {
  it('trains from a YAML config with flags overriding it, refuses an occupied folder, resumes, forces, inspects', async () => {
    const cfg = join(root, 'run.yaml');
    writeFileSync(
      cfg,
      'algo: trpo-sr\nenv: Pendulum-v1\nseed: 4\nbatch-size: 64\niterations: 9\neps: 0.05\n',
    );
    const out = join(root, 'run');
    expect(
      await main([
        'train',
        '--config',
        cfg,
        '--iterations',
        '2',
        '--eval-every',
        '0',
        '--checkpoint-every',
        '1',
        '--quiet',
        '--out',
        out,
      ]),
    ).toBe(0);
    const rec = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(rec.config).toMatchObject({ algo: 'trpo-sr', seed: 4, batchSize: 64, iterations: 2, eps: 0.05 });
    expect(rec.package.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(rec.seed).toBe(4);
    const rows = parseCsv(readFileSync(join(out, 'progress.csv'), 'utf8'));
    expect(rows.map((r) => r.Iteration)).toEqual([1, 2]);
    expect(rows[1]!.EnvSteps).toBe(128);
    expect(rows[0]!.PerturbationLinf).toBeGreaterThan(0);
    expect(logs.join('\n')).toMatch(/outputs: .*run/);

    // a different run in the same folder is refused, naming the difference
    expect(await main(['train', ...tiny, '--seed', '9', '--out', out])).toBe(2);
    expect(errors.join('\n')).toMatch(
      /already holds a different run .*seed 4 \(folder\) vs 9 \(requested\).*--force.*--resume/,
    );

    // resume continues to 3 iterations; a changed setting is refused on resume
    expect(await main(['train', '--resume', out, '--eps', '0.1'])).toBe(2);
    expect(errors.join('\n')).toMatch(/--resume: eps = 0\.1 differs from the run's 0\.05/);
    expect(await main(['train', '--resume', out, '--iterations', '3', '--quiet'])).toBe(0);
    expect(parseCsv(readFileSync(join(out, 'progress.csv'), 'utf8')).map((r) => r.Iteration)).toEqual([
      1, 2, 3,
    ]);

    // inspect prints the loss graph with shapes and gradient norms (and DOT on request)
    logs = [];
    expect(await main(['inspect', out, '--iteration', '2'])).toBe(0);
    const printed = logs.join('\n');
    expect(printed).toMatch(/policy loss of .* at iteration 2/);
    expect(printed).toMatch(/linear\s+mean\(s\+δ\)\s+\[64, 1\]/);
    expect(printed).toMatch(/mean\.layers\.0\.weight\s+\d/);
    logs = [];
    expect(await main(['inspect', out, '--dot'])).toBe(0);
    expect(logs.join('\n')).toMatch(/^digraph sr2l \{/);
    expect(await main(['inspect', out, '--iteration', '7'])).toBe(2);
    expect(errors.join('\n')).toMatch(/iter-000007.*does not exist/);

    // --force replaces it
    expect(await main(['train', ...tiny, '--seed', '9', '--out', out, '--force'])).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).seed).toBe(9);
    expect(parseCsv(readFileSync(join(out, 'progress.csv'), 'utf8')).map((r) => r.Iteration)).toEqual([1, 2]);
  }, 120_000);

  it('--log-grads writes per-parameter gradient norms of the surrogate and the regularizer', async () => {
    const out = join(root, 'grads');
    expect(await main(['train', ...tiny, '--algo', 'trpo-sr', '--log-grads', '--out', out])).toBe(0);
    const rows = parseCsv(readFileSync(join(out, 'grads.csv'), 'utf8'));
    expect(rows).toHaveLength(2);
    expect(rows[0]!['surrogate/mean.layers.0.weight']).toBeGreaterThan(0);
    expect(rows[0]!['regularizer/mean.layers.0.weight']).toBeGreaterThan(0);
    expect(rows[0]!['surrogate/logStd']).toBeGreaterThan(0);
  }, 60_000);
});
