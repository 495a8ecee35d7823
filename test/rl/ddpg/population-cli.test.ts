/**
 * `sr2l train --algo ddpg-sr-a --seeds 0-2`: one process writes out/s0, s1, s2, each in
 * a single run's format and equal to that seed's own `--seed k` run (progress rows bit for
 * bit, timings aside; same checkpoint files); the population resumes as a whole and is
 * refused with other seeds; bad seed lists stop with a clear error.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDirs } from '../../helpers/temp-dirs.js';
import { captureConsole, type CapturedConsole } from '../../helpers/console.js';
import { main } from '../../../src/cli/index.js';
import { formatSeeds, parseSeeds } from '../../../src/rl/population/seeds.js';
import { rowsWithoutTimes } from './progress-rows.js';

const root = await tempDirs('sr2l-pop-cli-')();

let cons: CapturedConsole;
beforeEach(() => void (cons = captureConsole()));
afterEach(() => vi.restoreAllMocks());

const tiny = [
  '--algo',
  'ddpg-sr-a',
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
  '2',
  '--eval-episodes',
  '1',
  '--quiet',
];

const rows = rowsWithoutTimes;

describe('seed lists', () => {
  it('parses ranges and lists, and names what is wrong', () => {
    expect(parseSeeds('0-3,7, 9')).toEqual([0, 1, 2, 3, 7, 9]);
    expect(formatSeeds([0, 1, 2, 3, 7, 9])).toBe('0-3,7,9');
    expect(() => parseSeeds('3-1')).toThrow(/the range '3-1' runs backwards/);
    expect(() => parseSeeds('0,x')).toThrow(/'x' is not a seed/);
    expect(() => parseSeeds('0-2,1')).toThrow(/seed 1 is listed twice/);
    expect(() => parseSeeds('-1')).toThrow(/is not a seed/);
  });
});

describe('sr2l train --seeds', () => {
  it('writes one run folder per seed, each equal to that seed’s single run; resumes as a population', async () => {
    const out = join(root, 'pop');
    expect(await main(['train', ...tiny, '--iterations', '2', '--seeds', '0-2', '--out', out])).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['population.json', 's0', 's1', 's2']);
    expect(JSON.parse(readFileSync(join(out, 'population.json'), 'utf8')).seeds).toEqual([0, 1, 2]);
    for (const seed of [0, 1, 2]) {
      const single = join(root, `single-${seed}`);
      expect(
        await main(['train', ...tiny, '--iterations', '2', '--seed', String(seed), '--out', single]),
      ).toBe(0);
      const member = join(out, `s${seed}`);
      expect(JSON.parse(readFileSync(join(member, 'config.json'), 'utf8')).seed).toBe(seed);
      expect(rows(member), `progress.csv of seed ${seed}`).toEqual(rows(single));
      expect(rows(member)[1]!.EvalReturn).not.toBeNaN();
      const files = (d: string) => readdirSync(join(d, 'checkpoints', 'iter-000002')).sort();
      expect(files(member)).toEqual(files(single));
      expect(readFileSync(join(member, 'checkpoints', 'iter-000002', 'actor.safetensors'))).toEqual(
        readFileSync(join(single, 'checkpoints', 'iter-000002', 'actor.safetensors')),
      );
    }
    expect(rows(join(out, 's0'))[1]!.CriticLoss).not.toBe(rows(join(out, 's1'))[1]!.CriticLoss);

    // resume: every member continues; other seeds are refused
    expect(await main(['train', '--resume', out, '--seeds', '0,1', '--quiet'])).toBe(2);
    expect(cons.err()).toMatch(/holds a population of seeds 0-2; --seeds 0-1 differs/);
    expect(await main(['train', '--resume', out, '--iterations', '3', '--quiet'])).toBe(0);
    const cont = join(root, 'single-1');
    expect(await main(['train', '--resume', cont, '--iterations', '3', '--quiet'])).toBe(0);
    expect(rows(join(out, 's1'))).toEqual(rows(cont));
    expect(rows(join(out, 's1')).map((r) => r.Iteration)).toEqual([1, 2, 3]);
  }, 120_000);

  it('refuses --seed with --seeds and bad lists', async () => {
    const out = join(root, 'bad');
    expect(await main(['train', ...tiny, '--seeds', '0-2', '--seed', '1', '--out', out])).toBe(2);
    expect(cons.err()).toMatch(/--seeds lists every seed; drop --seed/);
    expect(await main(['train', ...tiny, '--seeds', '2-0', '--out', out])).toBe(2);
    expect(cons.err()).toMatch(/runs backwards/);
    expect(existsSync(join(out, 's0', 'progress.csv'))).toBe(false);
    // --member-dirs: one folder per seed, and only with --seeds
    const dirs = ['--member-dirs', `${join(root, 'm0')},${join(root, 'm1')}`];
    expect(await main(['train', ...tiny, '--seeds', '0-2', ...dirs, '--out', out])).toBe(2);
    expect(cons.err()).toMatch(
      /--member-dirs names 2 folders for 3 seeds \(0-2\); give one per seed, in order/,
    );
    expect(await main(['train', ...tiny, '--seed', '0', ...dirs, '--out', out])).toBe(2);
    expect(cons.err()).toMatch(/--member-dirs names the folders of the --seeds members; add --seeds/);
    // --member-dir: one folder per flag (names may hold commas), not mixed with --member-dirs
    const each = ['--member-dir', join(root, 'm0,a'), '--member-dir', join(root, 'm1,b')];
    expect(await main(['train', ...tiny, '--seeds', '0-2', ...each, '--out', out])).toBe(2);
    expect(cons.err()).toMatch(/--member-dir names 2 folders for 3 seeds/);
    expect(await main(['train', ...tiny, '--seeds', '0-1', ...each, ...dirs, '--out', out])).toBe(2);
    expect(cons.err()).toMatch(/as --member-dirs A,B,\.\.\. or as repeated --member-dir, not both/);
    expect(existsSync(join(root, 'm0'))).toBe(false);
  });
});
