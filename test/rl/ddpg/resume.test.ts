/**
 * DDPG resume: 4 iterations in one go equal 3 + resume + 1, bit for bit on the CPU
 * backend: actor, critic, both targets, both Adam states, replay buffer, and the progress
 * rows (timings aside). Iterations of 150 steps end mid-episode (Pendulum's episodes are
 * 200 steps), so the running episode's replay, the OU state and every RNG are exercised;
 * DDPG-SR-C so the PGD stream is too. The buffer (400) wraps, and iteration 3 is a checkpoint
 * that is not kept (checkpointEvery 2), as when a run is killed between kept ones.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveDdpgConfig, type DdpgConfig } from '../../../src/rl/ddpg/config.js';
import type { DdpgTrainer } from '../../../src/rl/ddpg/ddpg.js';
import { parseCsv } from '../../../src/rl/run/csv-log.js';
import { checkpointDir, latestCheckpoint } from '../../../src/rl/run/checkpoint.js';
import { planRun, trainRun } from '../../../src/rl/run/train-run.js';

const root = mkdtempSync(join(tmpdir(), 'sr2l-ddpg-resume-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const settings = {
  algo: 'ddpg-sr-c',
  env: 'Pendulum-v1',
  seed: 5,
  stepsPerIteration: 150,
  stepsPerCycle: 50,
  trainStepsPerCycle: 5,
  warmupSteps: 100,
  bufferSize: 400, // wraps around within the run
  pgdSteps: 3,
  evalEvery: 2,
  evalEpisodes: 1,
  checkpointEvery: 2,
};

function everything(t: DdpgTrainer): unknown {
  const l = t.learner;
  const ps = [l.actor, l.critic, l.targetActor, l.targetCritic].map((m) =>
    m.parameters().map((p) => Array.from(p.dataSync())),
  );
  const opt = [l.actorOpt, l.criticOpt].map((o) => {
    const s = o.stateDict();
    // slots are compared by name (a loaded optimizer lists them in file order)
    return { step: s.step, tensors: [...s.tensors].map(([k, v]) => [k, Array.from(v.dataSync())]).sort() };
  });
  const cols = Object.fromEntries(Object.entries(t.buffer.columns()).map(([k, v]) => [k, Array.from(v)]));
  const { buffer, noise, rng, episode } = t.getState();
  return { ps, opt, cols, buffer, noise, rng, episode };
}

const rows = (dir: string) =>
  parseCsv(readFileSync(join(dir, 'progress.csv'), 'utf8')).map((r) => {
    const { TimeSampling: _a, TimeOptimize: _b, UpdatesPerSecond: _c, ...rest } = r;
    return rest;
  });

describe('DDPG resume', () => {
  it('4 iterations in one go equal 3 + resume + 1 (everything identical)', async () => {
    const whole = join(root, 'whole');
    const a = await trainRun(resolveDdpgConfig({ ...settings, iterations: 4 }), { out: whole });
    const parts = join(root, 'parts');
    const b1 = await trainRun(resolveDdpgConfig({ ...settings, iterations: 3 }), { out: parts });
    expect(b1.trainer.getState().episode).not.toBeNull(); // the checkpoint is mid-episode
    b1.trainer.close();
    expect(await latestCheckpoint(parts)).toBe(3);
    const resumed = await planRun<DdpgConfig>(parts, null, { resume: true, overrides: { iterations: 4 } });
    const b = await trainRun(resumed, { out: parts, resume: true });
    expect(b.resumedFrom).toBe(3);
    expect(b.history.map((h) => h.Iteration)).toEqual([4]);
    expect(everything(b.trainer)).toEqual(everything(a.trainer));
    expect(rows(parts)).toEqual(rows(whole));
    // kept: every 2nd and the newest two; the replay buffer is appended beside them, and the
    // segment the ring has overwritten for the previous checkpoint too (transitions 0-149 of
    // 600 with capacity 400 are needed by iteration 3's buffer of 450) is gone at the next save
    const ckpts = readdirSync(join(whole, 'checkpoints')).sort();
    expect(ckpts).toEqual(['iter-000002', 'iter-000003', 'iter-000004', 'latest.json', 'replay']);
    expect(existsSync(join(checkpointDir(whole, 2), 'actor.safetensors'))).toBe(true);
    expect(readdirSync(join(whole, 'checkpoints', 'replay')).sort()).toEqual([
      'rows-0000000000-0000000150.safetensors',
      'rows-0000000150-0000000300.safetensors',
      'rows-0000000300-0000000450.safetensors',
      'rows-0000000450-0000000600.safetensors',
    ]);
    a.trainer.close();
    b.trainer.close();
  }, 120_000);
});
