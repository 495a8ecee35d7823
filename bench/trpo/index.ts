/**
 * bench/trpo: seconds per TRPO iteration (1000 env steps) on HalfCheetah-v2, split into
 * sampling and optimization (policy step + baseline fit), for TRPO and TRPO-SR (ε 0.01,
 * λ_s 1, 10 PGD steps), and the ratio TRPO-SR / TRPO (goal ≤ 1.3).
 *
 * An iteration takes about a second, so instead of benchmark.js's many-run sampling the
 * two trainers run alternately (one iteration each, so machine load hits both alike)
 * after one warm-up iteration each, and the table shows medians.
 *   npm run bench -- trpo [--iterations=8] [--env=HalfCheetah-v2] [--json]
 */
import { parseArgs } from 'node:util';
import { resolveConfig } from '../../src/rl/trpo/config.js';
import { TrpoTrainer } from '../../src/rl/trpo/trpo.js';

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '8' },
    env: { type: 'string', default: 'HalfCheetah-v2' },
    json: { type: 'boolean', default: false },
  },
});
const n = Number(values.iterations);
const algos = ['trpo', 'trpo-sr'] as const;
const trainers = await Promise.all(
  algos.map((algo) =>
    TrpoTrainer.create(resolveConfig({ algo, env: values.env, seed: 0, batchSize: 1000, evalEvery: 0 })),
  ),
);
const times: Record<string, { sampling: number[]; optimize: number[]; total: number[] }> = {};
for (const a of algos) times[a] = { sampling: [], optimize: [], total: [] };
for (const t of trainers) await t.iterate(); // warm-up (JIT, first baseline fit)
for (let i = 0; i < n; i++) {
  for (let k = 0; k < algos.length; k++) {
    const s = await trainers[k]!.iterate();
    const rec = times[algos[k]!]!;
    rec.sampling.push(s.TimeSampling);
    rec.optimize.push(s.TimeOptimize);
    rec.total.push(s.TimeSampling + s.TimeOptimize);
  }
}
trainers.forEach((t) => t.close());

const median = (xs: number[]): number => {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const rows = algos.map((a) => ({
  algo: a,
  samplingS: median(times[a]!.sampling),
  optimizeS: median(times[a]!.optimize),
  totalS: median(times[a]!.total),
}));
const ratio = rows[1]!.totalS / rows[0]!.totalS;
const result = {
  env: values.env,
  stepsPerIteration: 1000,
  iterations: n,
  rows,
  ratioSrOverTrpo: ratio,
  optimizeRatio: rows[1]!.optimizeS / rows[0]!.optimizeS,
  goal: 1.3,
};
if (values.json) console.log(JSON.stringify(result, null, 2));
else {
  console.log(`TRPO vs TRPO-SR on ${values.env}: seconds per iteration of 1000 steps, median of ${n}`);
  console.log('algo      sampling  optimize  total');
  for (const r of rows) {
    console.log(
      `${r.algo.padEnd(8)}  ${r.samplingS.toFixed(3).padStart(8)}  ${r.optimizeS.toFixed(3).padStart(8)}  ${r.totalS.toFixed(3).padStart(5)}`,
    );
  }
  console.log(
    `ratio TRPO-SR / TRPO: ${ratio.toFixed(2)} per iteration (optimization alone ${result.optimizeRatio.toFixed(2)}); goal ≤ 1.3: ${ratio <= 1.3 ? 'met' : 'not met'}`,
  );
}
