import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/index.js';
import { formatDuration, formatStatus } from '../../src/experiments/progress.js';
import { captureConsole } from '../helpers/console.js';
import { tempDirs } from '../helpers/temp-dirs.js';

const tempDir = tempDirs('sr2l-cli-sweep-');
afterEach(() => vi.restoreAllMocks());

const capture = () => captureConsole().all;

describe('sr2l sweep', () => {
  test('--dry-run validates and lists the product; a bad file names the key and the allowed values', async () => {
    const dir = await tempDir();
    const out = capture();
    expect(await main(['sweep', 'experiments/paper-trpo.yaml', '--dry-run'])).toBe(0);
    // each setting's 10 seeds are one population process (--population auto), TRPO's as DDPG's
    expect(out()).toMatch(/100 runs; config OK \(10 training processes\)/);
    // the DDPG grid: each setting's 10 seeds are one population process (--population auto)
    expect(await main(['sweep', 'experiments/paper-ddpg.yaml', '--dry-run'])).toBe(0);
    expect(out()).toMatch(/150 runs; config OK \(15 training processes\)/);
    expect(out()).toMatch(
      /Ant-v2\/ddpg-sr-c\/default\/seed-0\n(.*\n){9}.* train --algo ddpg-sr-c --env Ant-v2 --seeds 0-9 --member-dir \S+\/Ant-v2\/ddpg-sr-c\/default\/seed-0 --member-dir \S+(?: --member-dir \S+){8} --iterations 500 .*--out \S+\/Ant-v2\/ddpg-sr-c\/default\/population-0-9 --force /,
    );
    expect(await main(['sweep', 'experiments/paper-ddpg.yaml', '--dry-run', '--population', 'off'])).toBe(0);
    expect(out()).toMatch(/150 runs; config OK \(150 training processes\)/);
    expect(await main(['sweep', 'experiments/paper-trpo.yaml', '--dry-run', '--population', 'off'])).toBe(0);
    expect(out()).toMatch(
      /Ant-v2\/trpo-sr\/default\/seed-9\n.* train --algo trpo-sr --env Ant-v2 --seed 9 --iterations 500 --batch-size 1000 .* --force --eval-every 50 --eps 0\.001 --lambda-s 1/,
    );
    // filters: only the listed envs and seeds run; a value the file does not plan is named
    const before = out().length;
    expect(
      await main([
        'sweep',
        'experiments/paper-trpo.yaml',
        '--envs',
        'Hopper-v2,Swimmer-v2',
        '--seeds',
        '0,1',
        '--dry-run',
      ]),
    ).toBe(0);
    const listed = out().slice(before);
    expect(listed).toMatch(/\n8 runs; config OK/);
    expect(listed).not.toMatch(/HalfCheetah|seed-2/);
    expect(await main(['sweep', 'experiments/paper-trpo.yaml', '--envs', 'Humanoid-v2', '--dry-run'])).toBe(
      2,
    );
    expect(out()).toMatch(
      /--envs: 'Humanoid-v2' is not in the sweep file; it plans Swimmer-v2, HalfCheetah-v2/,
    );
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'name: x\nenvs: [Hopper-v2]\nalgorithms: [trpo, sac]\nseeds: 1\niterations: 2\n');
    expect(await main(['sweep', bad])).toBe(2);
    expect(out()).toMatch(
      /bad\.yaml: 'algorithms\[1\]' is "sac"; allowed: trpo, trpo-sr, ddpg, ddpg-sr-a, ddpg-sr-c/,
    );
    expect(await main(['sweep', join(dir, 'missing.yaml')])).toBe(2);
    expect(out()).toMatch(/missing\.yaml: cannot read the file/);
    expect(await main(['sweep', 'experiments/paper-trpo.yaml', '--workers', '0'])).toBe(2);
    expect(await main(['sweep', 'experiments/paper-trpo.yaml', '--stall-timeout', 'soon'])).toBe(2);
    expect(out()).toMatch(/--stall-timeout must be a number of seconds ≥ 0, got 'soon'/);
  });

  test('the status line shows runs done/running/left, failures and ETA', () => {
    expect(formatDuration(3725)).toBe('1h02m');
    expect(formatDuration(65)).toBe('1m05s');
    expect(
      formatStatus({
        total: 20,
        done: 3,
        running: 2,
        failed: 1,
        left: 14,
        fraction: 0.235,
        etaSeconds: 3725,
      }),
    ).toBe('runs 3/20 done, 2 running, 14 left, 1 failed | 23.5% of iterations | ETA 1h02m');
    expect(
      formatStatus({ total: 2, done: 0, running: 2, failed: 0, left: 0, fraction: 0, etaSeconds: null }),
    ).toMatch(/ETA –$/);
  });
});
