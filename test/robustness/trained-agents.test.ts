import { describe, expect, test } from 'vitest';
import * as sr from '../../src/index.js';
import { resolveConfig } from '../../src/rl/trpo/config.js';
import { resolveDdpgConfig } from '../../src/rl/ddpg/config.js';
import type { DdpgTrainer } from '../../src/rl/ddpg/ddpg.js';
import { evaluateRobustness, loadAgent } from '../../src/rl/robustness/index.js';
import { trainRun } from '../../src/rl/run/train-run.js';
import type { TrpoTrainer } from '../../src/rl/trpo/trpo.js';
import { tempDirs } from '../helpers/temp-dirs.js';

const tempDir = tempDirs('sr2l-run-');
const states = sr.rng(4).randn([5, 3], { dtype: 'float32', std: 2 });
const rows = (t: sr.Tensor) => (t.toArray() as number[][]).flat();

describe('agents of run folders written by sr2l train', () => {
  test('TRPO-SR with observation normalization: the loaded policy is the trained one', async () => {
    const out = await tempDir('sr2l-trpo-run-');
    const config = resolveConfig({
      algo: 'trpo-sr',
      env: 'Pendulum-v1',
      iterations: 1,
      batchSize: 200,
      normalizeObs: true,
      evalEvery: 0,
      checkpointEvery: 1,
    });
    const { trainer } = (await trainRun(config, { out, resume: false, force: false })) as unknown as {
      trainer: TrpoTrainer;
    };
    const agent = await loadAgent(out, 'trpo-sr');
    const host = Float64Array.from(rows(states));
    const normalized = new Float64Array(host.length);
    for (let r = 0; r < 5; r++)
      normalized.set(trainer.normalizer!.apply(host.subarray(r * 3, r * 3 + 3)), r * 3);
    const expected = trainer.policy.mean(sr.tensor(normalized, { shape: [5, 3], dtype: 'float32' }));
    rows(agent.policy.mean(states)).forEach((v, i) => expect(v).toBeCloseTo(rows(expected)[i]!, 5));
    expect(rows(agent.policy.logStd!)).toEqual(rows(trainer.policy.logStd));
    expect(agent.critic).toBeUndefined();
    trainer.close();
  }, 60_000);

  test('DDPG-SR-C: actor and critic load, and the critic attack runs on them', async () => {
    const out = await tempDir('sr2l-ddpg-run-');
    const config = resolveDdpgConfig({ algo: 'ddpg-sr-c', env: 'Pendulum-v1', iterations: 1, evalEvery: 0 });
    const { trainer } = (await trainRun(config, { out, resume: false, force: false })) as unknown as {
      trainer: DdpgTrainer;
    };
    const agent = await loadAgent(out, 'ddpg-sr-c');
    const actor = trainer.learner.actor.forward(states);
    expect(rows(agent.policy.mean(states))).toEqual(rows(actor));
    const q = trainer.learner.critic.forward(states, actor);
    expect(rows(agent.critic!(states, actor).reshape([5, 1]))).toEqual(rows(q.reshape([5, 1])));
    trainer.close();
    const res = await evaluateRobustness({
      envId: 'Pendulum-v1',
      envOptions: { maxEpisodeSteps: 30 },
      agent,
      attacks: ['none', 'critic'],
      eps: [0.1],
      episodes: 2,
      smoothnessStates: 8,
    });
    expect(res.rows.map((r) => r.attack)).toEqual(['none', 'critic']);
    expect(res.rows[1]!.deltaLinfMax).toBeLessThanOrEqual(0.1 * (1 + 1e-6));
  }, 60_000);
});
