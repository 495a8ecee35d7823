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
 * default run is short; the issue's full table:
 *   npm run bench -- population --sizes=1,2,5,10,20 --steps=1000 --rounds=3
 * `--webgpu` adds one stacked update on WebGPU per S (the S at which it overtakes the CPU).
 * `--only=trpo-sr` (or ddpg-sr-a) runs one algorithm's tables, `--only=updates` the update tables.
 *  3. the same table for TRPO-SR (TrpoPopulation: lockstep sampling with one stacked forward
 *     per env step, one batched policy step), `--steps` env steps per seed and iteration,
 *     and the population's optimization and sampling time with compiled steps off and on
 *     (SR2L_COMPILE; bench/compile/trpo.ts).
 * Each population runs with its environments on the main thread and on worker threads
 * (`--workers=1,2`: WorkerEnvGroup, one round per lockstep step); the separate trainers run
 * compiled (the default) and with SR2L_COMPILE=0 (eager: the issue's 4× goal was set
 * against eager single runs); the physics floor is measured on one thread and on the
 * largest worker count's threads (rounds of S steps, as the populations step).
 * Short settings: --steps=100 (default), --rounds=1, --sizes=1,2; BENCH_UPDATE_ROUNDS for
 * the update table. BENCH_BASELINE=<another checkout> adds a before/after table of the TRPO-SR
 * population, that checkout's against this tree's, each population in a process of its own
 * (baseline.ts).
 */
import { parseArgs } from 'node:util';
import { makeEnv, type MakeEnvOptions } from '../../src/envs/registry.js';
import type { StepResult } from '../../src/envs/core/env.js';
import { WorkerEnvGroup } from '../../src/envs/vector/worker-env-group.js';
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
import { baselineRows } from './baseline.js';

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
    // worker-thread counts of the populations' environments (1: the main thread)
    workers: { type: 'string', default: '1,2' },
  },
});
if (values.only !== undefined && !['ddpg-sr-a', 'trpo-sr', 'updates'].includes(values.only))
  throw new RangeError(`bench/population: --only is ddpg-sr-a, trpo-sr or updates, got '${values.only}'`);
// --only=updates: the update tables (CPU, and WebGPU with --webgpu) without the iterations
const runUpdates = values.only !== 'trpo-sr';
const runDdpg = values.only === undefined || values.only === 'ddpg-sr-a';
const runTrpo = values.only === undefined || values.only === 'trpo-sr';
const updateRounds = Number(process.env.BENCH_UPDATE_ROUNDS ?? 9);
const sizes = values.sizes.split(',').map(Number);
const steps = Number(values.steps);
const rounds = Number(values.rounds);
const workerCounts = values.workers.split(',').map(Number);
if (!workerCounts.every((w) => Number.isInteger(w) && w >= 1))
  throw new RangeError(`bench/population: --workers lists positive integers, got '${values.workers}'`);
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

/** The physics floor on `w` worker threads: S environments of a WorkerEnvGroup, `steps` rounds of random actions. */
async function physicsOnWorkers(s: number, w: number) {
  const group = await WorkerEnvGroup.create(values.env, { count: s, numWorkers: Math.min(w, s) });
  const envs = Array.from({ length: s }, (_, k) => group.env(k));
  const rng = new Rng(0);
  const actDim = boxSize(envs[0]!.actionSpace);
  const round = async <T>(calls: Promise<T>[]): Promise<T[]> => {
    const [got] = await Promise.all([Promise.all(calls), group.flush()]);
    return got;
  };
  await round(envs.map((e, k) => e.resetAsync({ seed: k })));
  const run = async () => {
    for (let i = 0; i < steps; i++) {
      const got = await round(
        envs.map((e): Promise<StepResult> =>
          e.stepAsync(Array.from({ length: actDim }, () => rng.uniform(-1, 1))),
        ),
      );
      const ended = envs.filter((_, k) => got[k]!.terminated || got[k]!.truncated);
      if (ended.length > 0) await round(ended.map((e) => e.resetAsync({ seed: rng.nextUint32() })));
    }
  };
  return { run, close: () => group.close() };
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
// Eager (the engine op by op) and compiled + fused (what the trainers run).
function measureUpdates(s: number, compiled: false | 'fused') {
  const single = update('ddpg-sr-a', cpuBackend, { compiled });
  const stacked = update('ddpg-sr-a', cpuBackend, { population: s, compiled });
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
}
const updates = (runUpdates ? sizes : []).map((s) => measureUpdates(s, false));
const fusedUpdates = (runUpdates ? sizes : []).map((s) => measureUpdates(s, 'fused'));

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

/** The environment group of a population on `w` worker threads (w = 1: the main thread, none). */
const groupOn = (w: number) =>
  w === 1
    ? {}
    : {
        envGroup: (id: string, count: number, envOptions: MakeEnvOptions) =>
          WorkerEnvGroup.create(id, { count, numWorkers: Math.min(w, count), envOptions }),
      };

/** The separate trainers' iterations with compiled steps off (SR2L_COMPILE=0 is read at every call). */
async function eagerly<T>(f: () => Promise<T>): Promise<T> {
  const before = process.env.SR2L_COMPILE;
  process.env.SR2L_COMPILE = '0';
  try {
    return await f();
  } finally {
    if (before === undefined) delete process.env.SR2L_COMPILE;
    else process.env.SR2L_COMPILE = before;
  }
}

/**
 * Seconds per iteration of a population of S seeds (on each `--workers` count) against S
 * separate single-seed trainers run one after the other (compiled, the default, and with
 * SR2L_COMPILE=0), and the physics floor (S × `steps` MuJoCo steps, on this thread and on
 * the largest worker count's threads), round by round after one warm-up iteration each; medians.
 */
async function iterationRows(
  label: string,
  separateOf: (seed: number) => Promise<Iterating>,
  populationOf: (seeds: number[], opts: ReturnType<typeof groupOn>) => Promise<Iterating>,
) {
  const out = [];
  const maxWorkers = Math.max(...workerCounts);
  for (const s of sizes) {
    const seeds = Array.from({ length: s }, (_, k) => k);
    const separate: Iterating[] = [];
    for (const k of seeds) separate.push(await separateOf(k));
    const populations: Iterating[] = [];
    for (const w of workerCounts) populations.push(await populationOf(seeds, groupOn(w)));
    const floor = await physics(s);
    const threadedFloor = maxWorkers > 1 ? await physicsOnWorkers(s, maxWorkers) : null;
    for (const t of separate) await t.iterate(); // warm-up: buffers, JIT, compiled programs
    await eagerly(async () => {
      for (const t of separate) await t.iterate();
    });
    for (const p of populations) await p.iterate();
    const times = {
      separate: [] as number[],
      eager: [] as number[],
      population: workerCounts.map((): number[] => []),
      physics: [] as number[],
      threadedPhysics: [] as number[],
    };
    const cpu = {
      separate: [] as number[],
      eager: [] as number[],
      population: workerCounts.map((): number[] => []),
    };
    const allSeparate = async () => {
      for (const t of separate) await t.iterate();
    };
    for (let r = 0; r < rounds; r++) {
      times.separate.push(await seconds(allSeparate, cpu.separate));
      times.eager.push(await seconds(() => eagerly(allSeparate), cpu.eager));
      for (const [i, p] of populations.entries())
        times.population[i]!.push(await seconds(() => p.iterate(), cpu.population[i]!));
      times.physics.push(await seconds(floor, []));
      if (threadedFloor) times.threadedPhysics.push(await seconds(threadedFloor.run, []));
    }
    separate.forEach((t) => t.close());
    populations.forEach((p) => p.close());
    await threadedFloor?.close();
    const sep = median(times.separate);
    const eager = median(times.eager);
    const pops = times.population.map(median);
    const phys = median(times.physics);
    const threadedPhys = threadedFloor ? median(times.threadedPhysics) : NaN;
    out.push({
      S: s,
      separateS: sep,
      separateEagerS: eager,
      population: workerCounts.map((w, i) => ({
        workers: w,
        seconds: pops[i]!,
        speedup: sep / pops[i]!,
        speedupOverEager: eager / pops[i]!,
        overPhysics: pops[i]! / (w === 1 ? phys : threadedPhys),
        cpuSeconds: median(cpu.population[i]!),
        cpuSpeedup: median(cpu.separate) / median(cpu.population[i]!),
      })),
      physicsS: phys,
      physicsWorkersS: threadedPhys,
      separateCpuS: median(cpu.separate),
      separateEagerCpuS: median(cpu.eager),
    });
    if (!values.json)
      console.error(
        `${label} S=${s}: separate ${sep.toFixed(2)} s (eager ${eager.toFixed(2)} s), population ${pops.map((p, i) => `${p.toFixed(2)} s on ${workerCounts[i]} worker(s)`).join(', ')}, physics ${phys.toFixed(3)} s`,
      );
  }
  return out;
}

const rows = runDdpg
  ? await iterationRows(
      'DDPG-SR-A',
      (k) => DdpgTrainer.create(config(k)),
      (seeds, opts) => DdpgPopulation.create(seeds.map(config), opts),
    )
  : [];
// TRPO-SR: an iteration samples `--steps` env steps per seed (batch size), then one policy step
const trpoRows = runTrpo
  ? await iterationRows(
      'TRPO-SR',
      (k) => TrpoTrainer.create(trpoConfig(k)),
      (seeds, opts) => TrpoPopulation.create(seeds.map(trpoConfig), opts),
    )
  : [];

// BENCH_BASELINE: the other checkout's TRPO-SR population against this tree's, per S and workers
const baselineDir = process.env.BENCH_BASELINE;
const trpoBaseline =
  runTrpo && baselineDir
    ? baselineRows(baselineDir, { sizes, workers: workerCounts, steps, rounds, env: values.env })
    : [];

// the TRPO-SR population's step eager vs compiled, per S
const trpoCompiled = [];
if (runTrpo)
  for (const s of sizes) {
    const [eager, compiled] = await measureTrpoPopulation(s, rounds, values.env, steps);
    trpoCompiled.push({ S: s, eager: eager!, compiled: compiled! });
  }

/** One table of iterationRows' rows: wall seconds, ratios, CPU seconds (every thread of this process). */
function printIterationTable(title: string, table: typeof rows): void {
  if (table.length === 0) return; // --only: the other algorithm's
  const ws = workerCounts;
  const floorW = Math.max(...ws);
  console.log('');
  console.log(title);
  const head = [
    'S',
    'separate, compiled (s)',
    'separate, SR2L_COMPILE=0 (s)',
    ...ws.flatMap((w) => [
      `population, ${w} worker${w > 1 ? 's' : ''} (s)`,
      'vs separate',
      'vs eager',
      'vs floor',
    ]),
    'floor, 1 thread (s)',
    ...(floorW > 1 ? [`floor, ${floorW} workers (s)`] : []),
    'separate (CPU s)',
    'separate, eager (CPU s)',
    ...ws.map((w) => `population, ${w} w (CPU s)`),
  ];
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|${head.map(() => '---:').join('|')}|`);
  for (const r of table)
    console.log(
      `| ${[
        r.S,
        r.separateS.toFixed(2),
        r.separateEagerS.toFixed(2),
        ...r.population.flatMap((p) => [
          p.seconds.toFixed(2),
          `${p.speedup.toFixed(2)}×`,
          `${p.speedupOverEager.toFixed(2)}×`,
          `${p.overPhysics.toFixed(1)}×`,
        ]),
        r.physicsS.toFixed(3),
        ...(floorW > 1 ? [r.physicsWorkersS.toFixed(3)] : []),
        r.separateCpuS.toFixed(2),
        r.separateEagerCpuS.toFixed(2),
        ...r.population.map((p) => p.cpuSeconds.toFixed(2)),
      ].join(' | ')} |`,
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
        trpoSr: { algo: 'trpo-sr', rows: trpoRows, compiled: trpoCompiled, baseline: trpoBaseline },
        updates,
        fusedUpdates,
        webgpu,
      },
      null,
      2,
    ),
  );
else {
  for (const [mode, rows] of [
    ['eager', updates],
    ['compiled + fused, as the trainers run it', fusedUpdates],
  ] as const) {
    if (rows.length === 0) continue;
    console.log(
      `One DDPG-SR-A update (batch 64 per seed, HalfCheetah sizes, 10 PGD steps), CPU, ${mode}, medians of ${updateRounds} interleaved rounds`,
    );
    console.log(
      '| S | S single updates (ms) | one stacked update (ms) | speedup | S single updates (CPU ms) | one stacked update (CPU ms) | speedup (CPU) |',
    );
    console.log('|---:|---:|---:|---:|---:|---:|---:|');
    for (const u of rows)
      console.log(
        `| ${u.S} | ${u.singleUpdatesMs.toFixed(2)} | ${u.stackedUpdateMs.toFixed(2)} | ${u.speedup.toFixed(2)}× | ${u.singleUpdatesCpuMs.toFixed(2)} | ${u.stackedUpdateCpuMs.toFixed(2)} | ${u.cpuSpeedup.toFixed(2)}× |`,
      );
    console.log('');
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
    `DDPG-SR-A on ${values.env}, CPU: seconds per iteration of ${steps} env steps and ${steps / 2} updates per seed (batch 64), median of ${rounds}`,
    rows,
  );
  printIterationTable(
    `TRPO-SR on ${values.env}, CPU: seconds per iteration of ${steps} env steps and one policy step per seed, median of ${rounds}`,
    trpoRows,
  );
  if (trpoBaseline.length > 0) {
    console.log('');
    console.log(
      `TRPO-SR population on ${values.env}, CPU: BENCH_BASELINE=${baselineDir} against this tree, each population alone in its own process (as a sweep runs it), alternating; seconds per iteration of ${steps} env steps per seed, medians of ${rounds} processes × 3 iterations; the floor is the iteration table's physics on as many threads`,
    );
    console.log(
      '| S | workers | baseline (s) | now (s) | baseline ÷ now | baseline (CPU s) | now (CPU s) | baseline ÷ now (CPU) | physics floor (s) | now vs floor |',
    );
    console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const b of trpoBaseline) {
      const row = trpoRows.find((r) => r.S === b.S)!;
      const floor = b.workers === 1 ? row.physicsS : row.physicsWorkersS;
      console.log(
        `| ${b.S} | ${b.workers} | ${b.baseline.wall.toFixed(2)} | ${b.now.wall.toFixed(2)} | ${(b.baseline.wall / b.now.wall).toFixed(2)}× | ${b.baseline.cpu.toFixed(2)} | ${b.now.cpu.toFixed(2)} | ${(b.baseline.cpu / b.now.cpu).toFixed(2)}× | ${floor.toFixed(3)} | ${(b.now.wall / floor).toFixed(1)}× |`,
      );
    }
  }
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
