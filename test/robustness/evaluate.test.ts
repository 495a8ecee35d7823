import { readFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import * as sr from '../../src/index.js';
import { saveSafetensors } from '../../src/nn/node.js';
import {
  ROBUSTNESS_COLUMNS,
  type RobustnessOptions,
  evaluateRobustness,
  loadAgent,
  writeRobustness,
} from '../../src/rl/robustness/index.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { quadraticCritic, randomPolicy, randomStates } from './helpers.js';

// Pendulum-v1 (pure TypeScript, 200 steps): obs 3, action 1
const policy = randomPolicy(3, 1, 11, true);
const base: RobustnessOptions = {
  envId: 'Pendulum-v1',
  envOptions: { maxEpisodeSteps: 60 },
  agent: { policy, critic: quadraticCritic(1) },
  attacks: ['none', 'random', 'mad', 'critic'],
  eps: [0, 0.1],
  episodes: 3,
  seed: 5,
  smoothnessStates: 32,
};
const tempDir = tempDirs('sr2l-eval-');

describe('evaluateRobustness', () => {
  test('ε = 0 equals the clean evaluation exactly; reruns are identical; attacks change returns', async () => {
    const a = await evaluateRobustness(base);
    const b = await evaluateRobustness(base);
    expect(b.returns).toEqual(a.returns);
    const clean = a.returns[a.rows.findIndex((r) => r.attack === 'none')]!;
    for (const attack of ['random', 'mad', 'critic']) {
      const at = (eps: number) => a.rows.findIndex((r) => r.attack === attack && r.eps === eps);
      expect(a.returns[at(0)]).toEqual(clean);
      expect(a.rows[at(0)]!.deltaLinfMax).toBe(0);
      expect(a.returns[at(0.1)]).not.toEqual(clean);
      const row = a.rows[at(0.1)]!;
      expect(row.deltaLinfMax).toBeLessThanOrEqual(0.1 * (1 + 1e-12));
      expect(row.deltaLinfMean).toBeGreaterThan(attack === 'random' ? 0.05 : 0.09);
      expect(row.wallSeconds).toBeGreaterThan(0);
    }
    const none = a.rows[0]!;
    expect(none.episodes).toBe(3);
    expect(none.mean).toBeCloseTo(clean.reduce((x, y) => x + y, 0) / 3, 10);
    expect(none.min).toBe(Math.min(...clean));
    expect(none.max).toBe(Math.max(...clean));
    expect(a.smoothness.map((s) => s.eps)).toEqual([0.1]);
    expect(a.smoothness[0]!.lipschitzP95).toBeGreaterThanOrEqual(a.smoothness[0]!.lipschitzMean * 0.5);
    expect(a.smoothness[0]!.madDivergenceMean).toBeGreaterThan(0);
  });

  test('stochastic rollouts are seeded, and differ from deterministic ones', async () => {
    const opts = { ...base, attacks: ['none'] as const, stochastic: true, smoothnessStates: 0 };
    const s1 = await evaluateRobustness(opts);
    const s2 = await evaluateRobustness(opts);
    const det = await evaluateRobustness({ ...opts, stochastic: false });
    expect(s1.returns).toEqual(s2.returns);
    expect(s1.returns).not.toEqual(det.returns);
  });

  test('obs-std scaling: the ball is measured in units of each dimension’s clean-rollout std', async () => {
    const r = await evaluateRobustness({ ...base, attacks: ['random'], eps: [0.5], epsScale: 'obs-std' });
    expect(r.epsScale).toBe('obs-std');
    expect(r.obsStd).toHaveLength(3);
    expect(r.obsStd.every((s) => s > 0)).toBe(true);
    expect(r.rows[0]!.deltaLinfMax).toBeLessThanOrEqual(0.5);
  });

  test('bad options name what is wrong', async () => {
    await expect(evaluateRobustness({ ...base, attacks: ['fgsm' as never] })).rejects.toThrow(
      /unknown attack 'fgsm'; allowed: none, random, mad, critic/,
    );
    await expect(evaluateRobustness({ ...base, eps: [-1] })).rejects.toThrow(/eps\[0\] must be/);
    await expect(evaluateRobustness({ ...base, epsScale: 'std' as never })).rejects.toThrow(/raw, obs-std/);
    await expect(evaluateRobustness({ ...base, pgd: { steps: 1.5 } })).rejects.toThrow(/steps/);
  });

  test('writes robustness.csv / smoothness.csv / robustness.json; a checkpoint round-trips through loadAgent', async () => {
    const dir = await tempDir();
    // a run folder in the default MLP checkpoint format
    const gen = sr.rng(3);
    const t = (shape: number[]) => gen.randn(shape, { dtype: 'float32', std: 0.5 });
    await mkdir(join(dir, 'checkpoints'), { recursive: true });
    await saveSafetensors(
      join(dir, 'checkpoints', 'policy.safetensors'),
      new Map([
        ['mean.0.weight', t([3, 8])],
        ['mean.0.bias', t([8])],
        ['mean.1.weight', t([8, 1])],
        ['mean.1.bias', t([1])],
        ['logStd', sr.full([1], -1)],
      ]),
      { obs_mean: '[0, 0, 1]', obs_var: '[1, 1, 4]' },
    );
    await saveSafetensors(
      join(dir, 'checkpoints', 'critic.safetensors'),
      new Map([
        ['q.0.weight', t([4, 8])],
        ['q.0.bias', t([8])],
        ['q.1.weight', t([8, 1])],
        ['q.1.bias', t([1])],
      ]),
    );
    const agent = await loadAgent(dir, 'ddpg');
    expect(agent.policy.obsDim).toBe(3);
    expect(agent.policy.actDim).toBe(1);
    const s = randomStates(4, 3).cast('float32');
    // the normalizer sits inside the policy: μ(s) = MLP((s − mean)/std)
    const w = (await import('../../src/nn/node.js')).loadSafetensors;
    const { tensors } = await w(join(dir, 'checkpoints', 'policy.safetensors'));
    const norm = s.sub(sr.tensor([0, 0, 1])).mul(sr.tensor([1, 1, 0.5]));
    const expected = sr.linear(
      sr.linear(norm, tensors.get('mean.0.weight')!, tensors.get('mean.0.bias')!, 'tanh'),
      tensors.get('mean.1.weight')!,
      tensors.get('mean.1.bias')!,
    );
    const got = agent.policy.mean(s).toArray() as number[][];
    (expected.toArray() as number[][]).forEach((r, i) => expect(got[i]![0]).toBeCloseTo(r[0]!, 5));
    expect(agent.critic!(s, sr.zeros([4, 1])).shape).toEqual([4]);

    const res = await evaluateRobustness({ ...base, agent, eps: [0.05], episodes: 2 });
    const out = await writeRobustness(join(dir, 'eval'), res, { run: dir });
    const csv = (await readFile(out.csv, 'utf8')).trim().split('\n');
    expect(csv[0]).toBe(ROBUSTNESS_COLUMNS.join(','));
    expect(csv).toHaveLength(1 + 4); // none, then random / mad / critic at ε = 0.05
    expect(csv[2]!.startsWith('random,0.05,raw,false,2,')).toBe(true);
    const json = JSON.parse(await readFile(out.json, 'utf8')) as {
      run: string;
      rows: unknown[];
      pgd: unknown;
    };
    expect(json.run).toBe(dir);
    expect(json.rows).toHaveLength(4);
    expect(json.pgd).toEqual({ steps: 10, stepFraction: 0.2, ascent: 'sign' });
    expect((await readFile(out.smoothnessCsv, 'utf8')).split('\n')[0]).toMatch(
      /^eps,eps_scale,states,lipschitz_mean/,
    );
    await expect(loadAgent(join(dir, 'nowhere'), 'trpo')).rejects.toThrow(/no policy checkpoint/);
  });
});
