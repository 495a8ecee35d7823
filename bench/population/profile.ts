/**
 * Where a TRPO-SR population iteration spends its time: V8's sampling profiler (node:inspector)
 * over `--iterations` iterations after two warm-up iterations (the first traces the compiled
 * programs), every sample charged to the innermost phase on its stack (PHASES: a source file
 * and optionally a function name). Kernels, the compiled programs' replays and the engine carry
 * no phase of their own, so they count for the phase that called them. Main thread only: with
 * `--workers 2` the physics runs on the worker threads and the main thread's waits show as idle.
 *
 *   node --import tsx bench/population/profile.ts --seeds=10 --steps=1000 --iterations=3 [--workers=2]
 */
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { resolveConfig } from '../../src/rl/trpo/config.js';
import { TrpoPopulation } from '../../src/rl/trpo/population.js';
import { WorkerEnvGroup } from '../../src/envs/vector/worker-env-group.js';
import { cpuMillis } from '../mlp/measure.js';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '10' },
    steps: { type: 'string', default: '1000' },
    iterations: { type: 'string', default: '3' },
    workers: { type: 'string', default: '1' },
    env: { type: 'string', default: 'HalfCheetah-v2' },
    algo: { type: 'string', default: 'trpo-sr' },
    // also list each phase's heaviest functions (self time)
    detail: { type: 'boolean', default: false },
  },
});
const s = Number(values.seeds);
const workers = Number(values.workers);
const iterations = Number(values.iterations);
if (!(s >= 1 && workers >= 1 && iterations >= 1))
  throw new RangeError('bench/population/profile: --seeds, --workers and --iterations are positive integers');

/** A phase: samples whose innermost matching frame is in `file` (and in `fn`, when given). */
interface Phase {
  name: string;
  file: string;
  fn?: RegExp;
}

// innermost match wins, so a phase called from another (a Fisher product inside conjugate
// gradient, the physics inside the sampler) gets its own samples
const HERE = '/bench/population/profile.ts';
const PHASES: Phase[] = [
  { name: 'physics (env step, MuJoCo)', file: '/src/envs/' },
  { name: 'sampling: stacked policy forward', file: '/rl/trpo/stacked-gaussian-policy.ts' },
  { name: 'sampling: stacked policy forward', file: '/rl/trpo/lockstep-sampling.ts', fn: /^forward$/ },
  { name: 'sampling: lockstep barrier', file: '/rl/trpo/lockstep-sampling.ts' },
  { name: 'sampling: sampler host loop (draws, bookkeeping)', file: '/rl/trpo/sampler.ts' },
  { name: 'GAE + baseline predict', file: '/rl/trpo/trpo.ts', fn: /^(advantagesOf|bootstrapValues)$/ },
  { name: 'baseline fit + progress row', file: '/rl/trpo/trpo.ts', fn: /^finishIteration$/ },
  { name: 'GAE + baseline predict', file: '/rl/trpo/gae.ts' },
  { name: 'baseline fit + progress row', file: '/rl/trpo/baselines/' },
  { name: 'PGD (perturbation search)', file: HERE, fn: /^perturbationSearchProgram$/ },
  { name: 'loss + gradient', file: HERE, fn: /^lossAndGradProgram$/ },
  { name: 'line search', file: HERE, fn: /^lossAndKlProgram$/ },
  { name: 'step statistics', file: HERE, fn: /^stepStatsProgram$/ },
  { name: 'PGD (perturbation search)', file: '/rl/trpo/perturbation-search.ts' },
  { name: 'PGD (perturbation search)', file: '/rl/smoothness/' },
  { name: 'Fisher products', file: '/rl/trpo/fisher.ts' },
  { name: 'Fisher products', file: '/rl/trpo/population-step.ts', fn: /^(fvp|tangents|split|join)$/ },
  { name: 'conjugate gradient (host)', file: '/rl/trpo/conjugate-gradient.ts' },
  { name: 'line search', file: '/rl/trpo/line-search' },
  {
    name: 'policy step host (stacking the batches, member layout)',
    file: '/rl/trpo/population-step.ts',
  },
  { name: 'population host (stacking, member state dicts)', file: '/rl/trpo/population.ts' },
];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Microseconds per phase (plus GC, idle and the rest) of a profile; per phase and function in `self`. */
function attribute(p: Profile, self: Map<string, number>): Map<string, number> {
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const n of p.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const phaseOf = new Map<number, string>();
  const classify = (id: number): string => {
    const known = phaseOf.get(id);
    if (known !== undefined) return known;
    const { functionName: fn, url } = byId.get(id)!.callFrame;
    let phase: string;
    if (fn === '(garbage collector)') phase = 'GC';
    else if (fn === '(idle)') phase = 'idle (waiting)';
    else {
      const hit = PHASES.find((ph) => url.includes(ph.file) && (!ph.fn || ph.fn.test(fn)));
      const up = parent.get(id);
      phase = hit ? hit.name : up === undefined ? 'other (engine, event loop)' : classify(up);
    }
    phaseOf.set(id, phase);
    return phase;
  };
  const out = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const phase = classify(id);
    out.set(phase, (out.get(phase) ?? 0) + (p.timeDeltas[i] ?? 0));
    const { functionName, url } = byId.get(id)!.callFrame;
    const key = `${phase}: ${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}`;
    self.set(key, (self.get(key) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  return out;
}

const configs = Array.from({ length: s }, (_, seed) =>
  resolveConfig({ algo: values.algo, env: values.env, seed, batchSize: Number(values.steps), evalEvery: 0 }),
);
const population = await TrpoPopulation.create(
  configs,
  workers > 1
    ? {
        envGroup: (id, count, envOptions) =>
          WorkerEnvGroup.create(id, { count, numWorkers: Math.min(workers, count), envOptions }),
      }
    : {},
);
for (let i = 0; i < 2; i++) await population.iterate();

// the batched step's compiled programs are called from one function (its run), so each is
// wrapped in a function of its own name for the profile to tell them apart
type Program = (...args: unknown[]) => unknown;
const wrappers: Record<string, (f: Program) => Program> = {
  perturbationSearch: (f) =>
    function perturbationSearchProgram(...args) {
      return f(...args);
    },
  lossAndGrad: (f) =>
    function lossAndGradProgram(...args) {
      return f(...args);
    },
  lossAndKl: (f) =>
    function lossAndKlProgram(...args) {
      return f(...args);
    },
  stepStats: (f) =>
    function stepStatsProgram(...args) {
      return f(...args);
    },
};
const step = (population as unknown as { step: { step: Record<string, Program> } | null }).step?.step;
if (step) for (const [name, wrap] of Object.entries(wrappers)) step[name] = wrap(step[name]!);

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
const [t0, c0] = [performance.now(), cpuMillis()];
for (let i = 0; i < iterations; i++) await population.iterate();
const [wall, cpu] = [(performance.now() - t0) / iterations, (cpuMillis() - c0) / iterations];
const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
session.disconnect();
population.close();

const self = new Map<string, number>();
const phases = [...attribute(profile, self).entries()].sort((a, b) => b[1] - a[1]);
const total = phases.reduce((a, [, us]) => a + us, 0);
console.log(
  `${values.algo} population, S = ${s}, ${values.steps} steps per seed, ${values.env}, ${workers} worker(s): ` +
    `${(wall / 1000).toFixed(3)} s wall, ${(cpu / 1000).toFixed(3)} s CPU per iteration (mean of ${iterations}; CPU = every thread)`,
);
console.log('| phase (main thread) | ms per iteration | share |');
console.log('|---|---:|---:|');
for (const [name, us] of phases)
  console.log(`| ${name} | ${(us / 1000 / iterations).toFixed(1)} | ${((100 * us) / total).toFixed(1)}% |`);
if (values.detail) {
  console.log('| phase: function (self time) | ms per iteration |');
  console.log('|---|---:|');
  for (const [name] of phases)
    [...self.entries()]
      .filter(([key]) => key.startsWith(`${name}: `))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .forEach(([key, us]) => console.log(`| ${key} | ${(us / 1000 / iterations).toFixed(1)} |`));
}
