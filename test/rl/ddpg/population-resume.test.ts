/**
 * Resume of a DDPG population: stopped after iteration 2 (the signal Ctrl-C raises), then
 * resumed to 4, every member's folder equals that of an uninterrupted population bit for
 * bit (progress rows, timings aside, and the final actor checkpoint). Iterations of 150
 * steps end mid-episode, so each member's running episode, noise and streams are restored.
 * A population killed between its members' checkpoint writes resumes from the iteration
 * every member holds.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tempDirs } from '../../helpers/temp-dirs.js';
import { resolveDdpgConfig } from '../../../src/rl/ddpg/config.js';
import { trainPopulation } from '../../../src/rl/population/train-population.js';
import { rowsWithoutTimes } from './progress-rows.js';

const root = await tempDirs('sr2l-pop-resume-')();

const seeds = [4, 5];
const configs = seeds.map((seed) =>
  resolveDdpgConfig({
    algo: 'ddpg-sr-c',
    env: 'Pendulum-v1',
    seed,
    iterations: 4,
    stepsPerIteration: 150,
    stepsPerCycle: 50,
    trainStepsPerCycle: 5,
    warmupSteps: 100,
    bufferSize: 400,
    pgdSteps: 2,
    evalEvery: 2,
    evalEpisodes: 1,
    checkpointEvery: 2,
  }),
);

const rows = rowsWithoutTimes;

async function run(name: string, stopAfter: number | null, cs = configs): Promise<string[]> {
  const dirs = seeds.map((s) => join(root, name, `s${s}`));
  const stop = new AbortController();
  const onIteration = (r: Record<string, number>[]): void => {
    if (r[0]!.Iteration === stopAfter) stop.abort();
  };
  const first = await trainPopulation(cs, {
    dirs,
    populationDir: join(root, name),
    signal: stop.signal,
    onIteration,
  });
  first.population.close();
  if (stopAfter !== null) {
    expect(first.stopped).toBe(true);
    const rest = await trainPopulation(cs, { dirs, populationDir: join(root, name), resume: true });
    rest.population.close();
    expect(rest.resumedFrom).toBe(stopAfter);
  }
  return dirs;
}

describe('DDPG population resume', () => {
  test('2 iterations + stop + resume to 4 equal 4 in one go, for every member', async () => {
    const whole = await run('whole', null);
    const resumed = await run('resumed', 2);
    whole.forEach((d, k) => {
      expect(rows(resumed[k]!), `seed ${seeds[k]}`).toEqual(rows(d));
      const actor = (dir: string) =>
        readFileSync(join(dir, 'checkpoints', 'iter-000004', 'actor.safetensors'));
      expect(actor(resumed[k]!)).toEqual(actor(d));
    });
    expect(rows(whole[0]!)).toHaveLength(4);
    // checkpointEvery 2: odd iterations' checkpoints go once two newer ones exist (the one before
    // the newest stays as resume's fallback), so iteration 1's went and 3's stays
    for (const d of [...whole, ...resumed])
      expect(readdirSync(join(d, 'checkpoints')).filter((f) => f.startsWith('iter-'))).toEqual([
        'iter-000002',
        'iter-000003',
        'iter-000004',
      ]);
    expect(rows(whole[0]!)[3]!.CriticLoss).not.toBe(rows(whole[1]!)[3]!.CriticLoss);
  }, 60_000);

  test("killed while writing its members' checkpoints, it resumes where every member has one", async () => {
    // checkpoints kept every iteration, so each member holds iterations 1 and 2 after the run
    const cs = configs.map((c) => ({ ...c, iterations: 3, checkpointEvery: 1 }));
    const whole = await run('whole-3', null, cs);
    const dirs = seeds.map((s) => join(root, 'killed', `s${s}`));
    const two = cs.map((c) => ({ ...c, iterations: 2 }));
    (await trainPopulation(two, { dirs, populationDir: join(root, 'killed') })).population.close();
    // as if the process died after seed 4 wrote iteration 2's checkpoint and before seed 5 did
    rmSync(join(dirs[1]!, 'checkpoints', 'iter-000002'), { recursive: true });
    writeFileSync(
      join(dirs[1]!, 'checkpoints', 'latest.json'),
      JSON.stringify({ iteration: 1, dir: 'checkpoints/iter-000001' }),
    );
    const rest = await trainPopulation(cs, { dirs, populationDir: join(root, 'killed'), resume: true });
    rest.population.close();
    expect(rest.resumedFrom).toBe(1);
    whole.forEach((d, k) => expect(rows(dirs[k]!), `seed ${seeds[k]}`).toEqual(rows(d)));
  }, 60_000);
});
