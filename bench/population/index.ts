/**
 * bench/population (`npm run bench -- population`), DDPG-SR-A on the CPU, one thread:
 *  1. one stacked update of S seeds ([S, 64, ...] minibatches, HalfCheetah sizes, 10 PGD
 *     steps) against S single updates, interleaved round by round, and the ratio;
 *  2. seconds per training iteration on HalfCheetah-v2 of a population of S seeds
 *     (DdpgPopulation: one stacked forward per env step, one stacked update per update step)
 *     against S separate single-seed trainers run one after the other in the same process,
 *     and the physics alone (S × steps MuJoCo steps with random actions) as the floor.
 * An iteration is `--steps` env steps and half as many updates per seed (cycles of 50 steps
 * then 25 updates), after one warm-up iteration that fills the replay buffers; the three
 * measurements alternate round by round so machine load hits them alike; medians. The
 * default run is short; the full table:
 *   npm run bench -- population --sizes=1,2,5,10,20 --steps=1000 --rounds=3
 * `--webgpu` adds one stacked update on WebGPU per S (the S at which it overtakes the CPU).
 * `--only=trpo-sr` (or ddpg-sr-a) runs one algorithm's tables.
 *  3. the same table for TRPO-SR (TrpoPopulation: lockstep sampling with one stacked forward
 *     per env step, one batched policy step), `--steps` env steps per seed and iteration,
 *     and the population's optimization and sampling time with compiled steps off and on
 *     (SR2L_COMPILE; bench/compile/trpo.ts).
 * Worker threads are not implemented yet (docs/population.md).
 */
import { parseArgs } from 'node:util';
import { makeEnv } from '../../src/envs/registry.js';
import { boxSize } from '../../src/envs/core/space.js';
import { resolveDdpgConfig, type DdpgConfig } from '../../src/rl/ddpg/config.js';
import { DdpgTrainer } from '../../src/rl/ddpg/ddpg.js';
import { DdpgPopulation } from '../../src/rl/ddpg/population.js';
import { Rng } from '../../src/util/rng.js';
import { resolveConfig, type TrpoConfig } from '../../src/rl/trpo/config.js';
import { TrpoPopulation } from '../../src/rl/trpo/population.js';
import { TrpoTrainer } from '../../src/rl/trpo/trpo.js';
import { cpuBackend } from '../../src/kernels/cpu/index.js';
import { createWebGPUBackend, describeAdapter, webgpuInfo } from '../../src/kernels/webgpu/index.js';
import { cpuMillis, interleavedMicros } from '../mlp/measure.js';
import { update } from '../ddpg/sr2l-ddpg.js';
import { measureTrpoPopulation } from '../compile/trpo.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1,2,5,10' },
    steps: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '3' },
    env: { type: 'string', default: 'HalfCheetah-v2' },
    json: { type: 'boolean', default: false },
    webgpu: { type: 'boolean', default: false },
    // one algorithm's tables only (the other's are empty): ddpg-sr-a or trpo-sr
    only: { type: 'string' },
  },
});
if (values.only !== undefined && !['ddpg-sr-a', 'trpo-sr'].includes(values.only))
  throw new RangeError(`bench/population: --only is ddpg-sr-a or trpo-sr, got '${values.only}'`);
const runDdpg = values.only !== 'trpo-sr';
const runTrpo = values.only !== 'ddpg-sr-a';
const updateRounds = Number(process.env.BENCH_UPDATE_ROUNDS ?? 9);
const sizes = values.sizes.split(',').map(Number);
const steps = Number(values.steps);
const rounds = Number(values.rounds);
if (sizes.some((s) => !(s >= 1)) || !(steps >= 50 && steps % 50 === 0) || !(rounds >= 1))
  throw new RangeError(
    'bench/population: --sizes lists positive integers, --steps is a multiple of 50, --rounds ≥ 1',
  );

const config = (seed: number): DdpgConfig =>
  resolveDdpgConfig({
    algo: 'ddpg-sr-a',
    env: values.env,
    seed,
    stepsPerIteration: steps,
    stepsPerCycle: 50,
    trainStepsPerCycle: 25,
    warmupSteps: 50,
    evalEvery: 0,
  });

const trpoConfig = (seed: number): TrpoConfig =>
  resolveConfig({ algo: 'trpo-sr', env: values.env, seed, batchSize: steps, evalEvery: 0 });

const median = (xs: number[]): number => {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Wall seconds of f, and this process's CPU seconds in `cpu` (less disturbed by other jobs on the machine). */
async function seconds(f: () => Promise<unknown>, cpu: number[]): Promise<number> {
  const [t0, c0] = [performance.now(), cpuMillis()];
  await f();
  cpu.push((cpuMillis() - c0) / 1000);
  return (performance.now() - t0) / 1000;
}

/** S environments stepped `steps` times each with uniform random actions: the physics floor. */
async function physics(s: number): Promise<() => Promise<void>> {
  const envs = await Promise.all(Array.from({ length: s }, () => makeEnv(values.env)));
  const rng = new Rng(0);
  const act = new Float64Array(boxSize(envs[0]!.actionSpace));
  envs.forEach((e, k) => e.reset({ seed: k }));
  return async () => {
    for (const e of envs)
      for (let i = 0; i < steps; i++) {
        for (let j = 0; j < act.length; j++) act[j] = rng.uniform(-1, 1);
        const r = e.step(act);
        if (r.terminated || r.truncated) e.reset({ seed: rng.nextUint32() });
      }
  };
}

// One stacked update against S single updates, interleaved round by round (machine load
// hits both alike; one warm-up call each first). Ratio = S single updates' time / one stacked update's.
const updates = (runDdpg ? sizes : []).map((s) => {
  const single = update('ddpg-sr-a');
  const stacked = update('ddpg-sr-a', cpuBackend, { population: s });
  single();
  stacked();
  const [one, all] = interleavedMicros([single, stacked], updateRounds, 2);
  const [oneCpu, allCpu] = interleavedMicros([single, stacked], updateRounds, 2, cpuMillis);
  return {
    S: s,
    singleUpdatesMs: (s * one!) / 1000,
    stackedUpdateMs: all! / 1000,
    speedup: (s * one!) / all!,
    singleUpdatesCpuMs: (s * oneCpu!) / 1000,
    stackedUpdateCpuMs: allCpu! / 1000,
    cpuSpeedup: (s * oneCpu!) / allCpu!,
  };
});

/**
 * With --webgpu: one stacked update of S seeds on WebGPU (median of 5 rounds of 3 updates,
 * each round ending when the device is idle), beside the CPU's, to find the S at which the
 * device overtakes the CPU. Null when no adapter opens.
 */
async function webgpuUpdates(): Promise<{ adapter: string; ms: number[] } | null> {
  let gpu;
  try {
    gpu = await createWebGPUBackend();
  } catch (e) {
    console.error(`bench/population: no WebGPU adapter (${(e as Error).message.split('\n')[0]})`);
    return null;
  }
  const ms: number[] = [];
  for (const s of sizes) {
    const f = update('ddpg-sr-a', gpu, { population: s });
    f();
    await gpu.sync();
    const times: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t0 = performance.now();
      for (let k = 0; k < 3; k++) f();
      await gpu.sync();
      times.push((performance.now() - t0) / 3);
    }
    ms.push(median(times));
  }
  const adapter = describeAdapter(await webgpuInfo());
  gpu.destroy();
  return { adapter, ms };
}
const webgpu = values.webgpu ? await webgpuUpdates() : null;

/** What the iteration table times: S separate trainers and one population. */
interface Iterating {
  iterate(): Promise<unknown>;
  close(): void;
}

/**
 * Seconds per iteration of a population of S seeds against S separate single-seed trainers
 * run one after the other, and the physics floor (S × `floorSteps` MuJoCo steps), round by
 * round after one warm-up iteration each; medians.
 */
async function iterationRows(
  label: string,
  separateOf: (seed: number) => Promise<Iterating>,
  populationOf: (seeds: number[]) => Promise<Iterating>,
) {
  const out = [];
  for (const s of sizes) {
    const seeds = Array.from({ length: s }, (_, k) => k);
    const separate: Iterating[] = [];
    for (const k of seeds) separate.push(await separateOf(k));
    const population = await populationOf(seeds);
    const floor = await physics(s);
    for (const t of separate) await t.iterate(); // warm-up: buffers, JIT, compiled programs
    await population.iterate();
    const times = { separate: [] as number[], population: [] as number[], physics: [] as number[] };
    const cpu = { separate: [] as number[], population: [] as number[] };
    for (let r = 0; r < rounds; r++) {
      times.separate.push(
        await seconds(async () => {
          for (const t of separate) await t.iterate();
        }, cpu.separate),
      );
      times.population.push(await seconds(() => population.iterate(), cpu.population));
      times.physics.push(await seconds(floor, []));
    }
    separate.forEach((t) => t.close());
    population.close();
    const sep = median(times.separate);
    const pop = median(times.population);
    const phys = median(times.physics);
    out.push({
      S: s,
      separateS: sep,
      populationS: pop,
      speedup: sep / pop,
      physicsS: phys,
      populationOverPhysics: pop / phys,
      separateCpuS: median(cpu.separate),
      populationCpuS: median(cpu.population),
      cpuSpeedup: median(cpu.separate) / median(cpu.population),
    });
    if (!values.json)
      console.error(
        `${label} S=${s}: separate ${sep.toFixed(2)} s, population ${pop.toFixed(2)} s (×${(sep / pop).toFixed(2)})`,
      );
  }
  return out;
}

const rows = runDdpg
  ? await iterationRows(
      'DDPG-SR-A',
      (k) => DdpgTrainer.create(config(k)),
      (seeds) => DdpgPopulation.create(seeds.map(config)),
    )
  : [];
// TRPO-SR: an iteration samples `--steps` env steps per seed (batch size), then one policy step
const trpoRows = runTrpo
  ? await iterationRows(
      'TRPO-SR',
      (k) => TrpoTrainer.create(trpoConfig(k)),
      (seeds) => TrpoPopulation.create(seeds.map(trpoConfig)),
    )
  : [];

// the TRPO-SR population's step eager vs compiled, per S
const trpoCompiled = [];
if (runTrpo)
  for (const s of sizes) {
    const [eager, compiled] = await measureTrpoPopulation(s, rounds, values.env, steps);
    trpoCompiled.push({ S: s, eager: eager!, compiled: compiled! });
  }

/** One table of iterationRows' rows. */
function printIterationTable(title: string, table: typeof rows): void {
  if (table.length === 0) return; // --only: the other algorithm's
  console.log('');
  console.log(title);
  console.log(
    '| S | S separate trainers (s) | population (s) | speedup | physics floor (s) | population / floor | separate (CPU s) | population (CPU s) | speedup (CPU) |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of table)
    console.log(
      `| ${r.S} | ${r.separateS.toFixed(2)} | ${r.populationS.toFixed(2)} | ${r.speedup.toFixed(2)}× | ${r.physicsS.toFixed(3)} | ${r.populationOverPhysics.toFixed(1)}× | ${r.separateCpuS.toFixed(2)} | ${r.populationCpuS.toFixed(2)} | ${r.cpuSpeedup.toFixed(2)}× |`,
    );
}

if (values.json)
  console.log(
    JSON.stringify(
      {
        suite: 'population',
        algo: 'ddpg-sr-a',
        env: values.env,
        steps,
        rounds,
        unit: 's per iteration (median)',
        rows,
        trpoSr: { algo: 'trpo-sr', rows: trpoRows, compiled: trpoCompiled },
        updates,
        webgpu,
      },
      null,
      2,
    ),
  );
else {
  if (updates.length > 0) {
    console.log(
      `One DDPG-SR-A update (batch 64 per seed, HalfCheetah sizes, 10 PGD steps), CPU, medians of ${updateRounds} interleaved rounds`,
    );
    console.log(
      '| S | S single updates (ms) | one stacked update (ms) | speedup | S single updates (CPU ms) | one stacked update (CPU ms) | speedup (CPU) |',
    );
    console.log('|---:|---:|---:|---:|---:|---:|---:|');
    for (const u of updates)
      console.log(
        `| ${u.S} | ${u.singleUpdatesMs.toFixed(2)} | ${u.stackedUpdateMs.toFixed(2)} | ${u.speedup.toFixed(2)}× | ${u.singleUpdatesCpuMs.toFixed(2)} | ${u.stackedUpdateCpuMs.toFixed(2)} | ${u.cpuSpeedup.toFixed(2)}× |`,
      );
  }
  if (webgpu) {
    console.log('');
    console.log(`One stacked DDPG-SR-A update on WebGPU (${webgpu.adapter}), median of 5 rounds`);
    console.log('| S | WebGPU (ms) | CPU (ms) | CPU / WebGPU |');
    console.log('|---:|---:|---:|---:|');
    updates.forEach((u, i) =>
      console.log(
        `| ${u.S} | ${webgpu.ms[i]!.toFixed(2)} | ${u.stackedUpdateMs.toFixed(2)} | ${(u.stackedUpdateMs / webgpu.ms[i]!).toFixed(2)}× |`,
      ),
    );
  }
  printIterationTable(
    `DDPG-SR-A on ${values.env}, CPU, 1 thread: seconds per iteration of ${steps} env steps and ${steps / 2} updates per seed (batch 64), median of ${rounds}`,
    rows,
  );
  printIterationTable(
    `TRPO-SR on ${values.env}, CPU, 1 thread: seconds per iteration of ${steps} env steps and one policy step per seed, median of ${rounds}`,
    trpoRows,
  );
  if (trpoCompiled.length > 0) {
    console.log('');
    console.log(
      `TRPO-SR population on ${values.env}, CPU, 1 thread: seconds per iteration of ${steps} env steps per seed, compiled steps off (eager) and on, median of ${rounds}; optimization = the batched policy step and every member's baseline fit`,
    );
    console.log(
      '| S | optimization eager (s) | optimization compiled (s) | eager ÷ compiled | sampling eager (s) | sampling compiled (s) | eager ÷ compiled | iteration eager (CPU s) | iteration compiled (CPU s) | eager ÷ compiled (CPU) |',
    );
    console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const { S, eager: e, compiled: c } of trpoCompiled)
      console.log(
        `| ${S} | ${e.optimizeS.toFixed(3)} | ${c.optimizeS.toFixed(3)} | ${(e.optimizeS / c.optimizeS).toFixed(2)}× | ${e.samplingS.toFixed(3)} | ${c.samplingS.toFixed(3)} | ${(e.samplingS / c.samplingS).toFixed(2)}× | ${e.iterationCpuS.toFixed(2)} | ${c.iterationCpuS.toFixed(2)} | ${(e.iterationCpuS / c.iterationCpuS).toFixed(2)}× |`,
      );
  }
}
