/**
 * A TRPO population's lockstep sampling runs its stacked policy forward pass as a compiled
 * program (traced at the first env step, replayed at every later one, reading the stacked
 * policy that is refreshed in place from the members each iteration). Pinned here: with it
 * compiled, the members' sampled observations, actions and log-probabilities, their
 * samplers' and PGD generators' states and their progress rows are bit for bit those of the
 * same population run eagerly (SR2L_COMPILE=0) and those of each seed's single trainer.
 */
import { afterEach, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/rl/trpo/config.js';
import { TrpoPopulation } from '../../../src/rl/trpo/population.js';
import { type TrpoTrainer, TrpoTrainer as Trainer } from '../../../src/rl/trpo/trpo.js';

afterEach(() => {
  delete process.env.SR2L_COMPILE;
});

const BATCH = 48;
const ITERATIONS = 3;
const SEEDS = [0, 1, 2];
const config = (seed: number) =>
  resolveConfig({ algo: 'trpo-sr', env: 'Pendulum-v1', batchSize: BATCH, pgdSteps: 3, evalEvery: 0, seed });

const untimed = (row: Record<string, number>) => {
  const { TimeSampling, TimeOptimize, ...rest } = row;
  void TimeSampling;
  void TimeOptimize;
  return rest;
};

/** What a member's sampling produced and where its random streams stand after an iteration. */
function sampled(m: TrpoTrainer) {
  const x = m.lastStepInputs!;
  return {
    obs: Array.from(x.obs.dataSync()),
    actions: Array.from(x.actions.dataSync()),
    logLik: Array.from(x.oldLogLik.dataSync()),
    state: m.getState(),
  };
}

async function population(compile: boolean) {
  const pop = await TrpoPopulation.create(SEEDS.map(config));
  try {
    const out = [];
    for (let i = 0; i < ITERATIONS; i++) {
      // read at every call: the sampling forward and the policy step both run this way
      process.env.SR2L_COMPILE = compile ? '1' : '0';
      const rows = (await pop.iterate()).map(untimed);
      out.push({ rows, members: pop.members.map(sampled) });
    }
    const forward = pop.samplingForward()!;
    return { out, traces: forward.traces, replays: forward.replays };
  } finally {
    pop.close();
  }
}

it('compiled lockstep sampling equals eager sampling and single runs bit for bit; it traces once', async () => {
  const eager = await population(false);
  const compiled = await population(true);
  // the compiled path really ran: one trace at the first step, a replay at every later one
  expect(compiled.traces).toBe(1);
  expect(compiled.replays).toBe(ITERATIONS * BATCH - 1);
  expect(eager.traces).toBe(0);
  for (let i = 0; i < ITERATIONS; i++) {
    expect(compiled.out[i]!.rows).toEqual(eager.out[i]!.rows);
    expect(compiled.out[i]!.members).toEqual(eager.out[i]!.members);
  }

  // each seed's single trainer (its own policy and its own compiled per-step forward)
  for (const [k, seed] of SEEDS.entries()) {
    const single = await Trainer.create(config(seed));
    try {
      for (let i = 0; i < ITERATIONS; i++) {
        const row = untimed((await single.iterate()) as unknown as Record<string, number>);
        expect(compiled.out[i]!.rows[k]).toEqual(row);
        expect(compiled.out[i]!.members[k]).toEqual(sampled(single));
      }
    } finally {
      single.close();
    }
  }
}, 60_000);
