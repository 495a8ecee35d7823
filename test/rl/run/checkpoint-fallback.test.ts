/**
 * Resume after damage a killed node leaves behind: a truncated safetensors file or a checkpoint
 * folder without its state.json in the newest checkpoint makes resume fall back to the previous
 * one, say which, and end with the same progress rows as an undamaged run; a half-written
 * temporary folder (SIGKILL mid-checkpoint) is ignored and cleaned up.
 */
import { mkdir, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseCsv } from '../../../src/rl/run/csv-log.js';
import { checkpointDir } from '../../../src/rl/run/checkpoint.js';
import { planRun, trainRun } from '../../../src/rl/run/train-run.js';
import { resolveConfig } from '../../../src/rl/trpo/config.js';
import { tempDirs } from '../../helpers/temp-dirs.js';

const tempDir = tempDirs('sr2l-ckpt-fallback-');
const settings = { algo: 'trpo', env: 'Pendulum-v1', seed: 5, batchSize: 64, evalEvery: 0 } as const;

/** progress.csv without the timing columns. */
async function rows(dir: string) {
  return parseCsv(await readFile(join(dir, 'progress.csv'), 'utf8')).map((r) => {
    const { TimeSampling: _a, TimeOptimize: _b, ...rest } = r;
    return rest;
  });
}

async function train(out: string, iterations: number): Promise<void> {
  (await trainRun(resolveConfig({ ...settings, iterations }), { out })).trainer.close();
}

async function resume(out: string, iterations: number): Promise<{ from: number | null; said: string[] }> {
  const said: string[] = [];
  const config = await planRun(out, null, { resume: true, overrides: { iterations } });
  const r = await trainRun(config, { out, resume: true, warn: (m) => said.push(m) });
  r.trainer.close();
  return { from: r.resumedFrom, said };
}

describe('resume from a damaged checkpoint', () => {
  test('truncated policy file, missing state.json, half-written temporary folder', async () => {
    const root = await tempDir();
    const straight = join(root, 'straight');
    await train(straight, 4);
    const expected = await rows(straight);

    // the newest checkpoint's policy cut in half: back to the previous one, named in the message
    const cut = join(root, 'truncated');
    await train(cut, 3);
    const policy = join(checkpointDir(cut, 3), 'policy.safetensors');
    await truncate(policy, Math.floor((await stat(policy)).size / 2));
    const a = await resume(cut, 4);
    expect(a.from).toBe(2);
    expect(a.said.join('\n')).toMatch(
      /iter-000003 is unusable: .*policy\.safetensors.*; resuming from iteration 2 \(.*iter-000002\)/,
    );
    expect(await rows(cut)).toEqual(expected);

    // a checkpoint folder without state.json (renamed into place, contents lost)
    const bare = join(root, 'no-state');
    await train(bare, 3);
    await rm(join(checkpointDir(bare, 3), 'state.json'));
    const b = await resume(bare, 4);
    expect(b.from).toBe(2);
    expect(b.said.join('\n')).toMatch(/iter-000003 is unusable: .*state\.json: unreadable trainer state/);
    expect(await rows(bare)).toEqual(expected);

    // killed while writing checkpoint 4: its temporary folder is partial and latest.json names 3
    const killed = join(root, 'killed-mid-checkpoint');
    await train(killed, 3);
    const partial = `${checkpointDir(killed, 4)}.tmp-999999`;
    await mkdir(partial);
    await writeFile(join(partial, 'policy.safetensors'), 'partial');
    const c = await resume(killed, 4);
    expect(c.from).toBe(3);
    expect(c.said).toEqual([]);
    expect(await rows(killed)).toEqual(expected);
    expect((await readdir(join(killed, 'checkpoints'))).sort()).toEqual([
      'iter-000003',
      'iter-000004',
      'latest.json',
    ]);

    // nothing usable at all: one error naming every checkpoint tried
    const broken = join(root, 'all-broken');
    await train(broken, 2);
    for (const i of [1, 2]) await rm(join(checkpointDir(broken, i), 'state.json'));
    await expect(resume(broken, 3)).rejects.toThrow(
      /no usable checkpoint \(.*iter-000002 is unusable.*iter-000001 is unusable/,
    );
  }, 60_000);
});
