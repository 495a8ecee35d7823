/**
 * `sr2l train --algo ddpg…` through the shared CLI and run folder: DDPG settings are
 * flags, bad ones stop before training naming the setting, a tiny run writes
 * progress.csv with DDPG's columns, grads.csv, a checkpoint, and resumes.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/index.js';
import { parseCsv } from '../../../src/rl/run/csv-log.js';

const root = mkdtempSync(join(tmpdir(), 'sr2l-ddpg-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let errors: string[] = [];
beforeEach(() => {
  errors = [];
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(() => vi.restoreAllMocks());

const tiny = [
  '--env',
  'Pendulum-v1',
  '--steps-per-iteration',
  '200',
  '--steps-per-cycle',
  '100',
  '--train-steps-per-cycle',
  '5',
  '--warmup-steps',
  '100',
  '--pgd-steps',
  '2',
  '--eval-every',
  '0',
  '--quiet',
];

describe('sr2l train --algo ddpg-sr-a', () => {
  it('bad DDPG settings stop before training with the setting, value and what is allowed', async () => {
    const out = join(root, 'bad');
    expect(await main(['train', '--algo', 'ddpg', '--tau', '2', '--out', out])).toBe(2);
    expect(errors.join('\n')).toMatch(/tau = 2 is invalid; allowed: a number in \[0, 1\]/);
    expect(await main(['train', '--algo', 'ddpg', '--max-kl', '0.1', '--out', out])).toBe(2);
    expect(errors.join('\n')).toMatch(/unknown setting 'maxKl'/);
    expect(await main(['train', '--algo', 'dqn', '--out', out])).toBe(2);
    expect(errors.join('\n')).toMatch(
      /algo = "dqn" is invalid; allowed: one of trpo, trpo-sr, ddpg, ddpg-sr-a, ddpg-sr-c/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('trains, writes progress.csv / grads.csv / checkpoints, and resumes', async () => {
    const out = join(root, 'run');
    expect(
      await main(['train', '--algo', 'ddpg-sr-a', ...tiny, '--iterations', '2', '--log-grads', '--out', out]),
    ).toBe(0);
    const rows = parseCsv(readFileSync(join(out, 'progress.csv'), 'utf8'));
    expect(rows.map((r) => r.Iteration)).toEqual([1, 2]);
    expect(rows[1]!.EnvSteps).toBe(400);
    expect(rows[1]!.Updates).toBe(20); // 4 cycles of 100 steps, the buffer holds 100 after the first: 4 × 5
    expect(rows[1]!.SmoothnessReg).toBeGreaterThan(0);
    expect(rows[1]!.PerturbationLinf).toBeLessThanOrEqual(0.01 + 1e-6);
    const grads = parseCsv(readFileSync(join(out, 'grads.csv'), 'utf8'));
    expect(Object.keys(grads[0]!)).toContain('critic/rest.layers.0.weight');
    expect(existsSync(join(out, 'checkpoints', 'iter-000002', 'actor.safetensors'))).toBe(true);
    expect(existsSync(join(out, 'checkpoints', 'replay', 'rows-0000000200-0000000400.safetensors'))).toBe(
      true,
    );
    expect(await main(['train', '--resume', out, '--iterations', '3', '--quiet'])).toBe(0);
    expect(parseCsv(readFileSync(join(out, 'progress.csv'), 'utf8')).map((r) => r.Iteration)).toEqual([
      1, 2, 3,
    ]);
    // a resumed run keeps its settings
    expect(await main(['train', '--resume', out, '--tau', '0.5'])).toBe(2);
    expect(errors.join('\n')).toMatch(/tau = 0\.5 differs from the run's 0\.01/);
  }, 120_000);
});
