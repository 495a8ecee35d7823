/**
 * Environment throughput. For each MuJoCo environment: env.step() against a raw loop of
 * `mj_step` × frame_skip on the same compiled model in the same run (the physics-only
 * limit of this WASM build), and the overhead ratio env time / raw time (goal ≤ 1.15).
 * Both run the same constant action from the same start with termination and the time
 * limit off, after a warm-up, so they simulate the same kind of states. Then the
 * vector envs: env steps/s of 8 Hopper copies in one thread and over 1 and 2 workers.
 * `--json` prints one JSON object instead of tables.
 */
import { availableParallelism, cpus } from 'node:os';
import type { MjData } from 'mujoco-js';
import {
  type Env,
  type MakeEnvOptions,
  MujocoEnv,
  Wrapper,
  makeEnv,
  makeSyncVectorEnv,
  makeWorkerVectorEnv,
  mujoco,
  mujocoVersion,
  type VectorEnv,
} from '../../src/envs/node.js';
import { cpuRate, timeAsync, timeSync } from './measure.js';

const json = process.argv.includes('--json');
const ENV_IDS = [
  'Swimmer-v5',
  'HalfCheetah-v5',
  'Hopper-v5',
  'Walker2d-v5',
  'Ant-v5',
  'Ant-v2',
  'InvertedPendulum-v5',
];
const WARMUP_STEPS = 2000;
const ROUNDS = 3;

interface EnvRow {
  env: string;
  frameSkip: number;
  envStepsPerSec: number;
  rawStepsPerSec: number;
  overhead: number;
  /** the same loops timed by this process's CPU time (robust to other load on the machine) */
  envStepsPerCpuSec: number;
  rawStepsPerCpuSec: number;
  cpuOverhead: number;
}

function log(s: string): void {
  if (!json) console.log(s);
}

function mujocoEnvOf(env: Env): MujocoEnv {
  const inner = env instanceof Wrapper ? env.unwrapped : env;
  if (!(inner instanceof MujocoEnv)) throw new Error(`${env.id} is not a MuJoCo env`);
  return inner;
}

async function benchEnv(id: string): Promise<EnvRow> {
  const opts: MakeEnvOptions = { maxEpisodeSteps: null };
  if (!id.startsWith('Inverted')) opts.terminateWhenUnhealthy = false;
  const env = await makeEnv(id, opts);
  const m = mujocoEnvOf(env);
  const mj = mujoco();
  const action = Float64Array.from({ length: m.nu }, (_, i) => 0.3 * Math.sin(i + 1));
  // InvertedPendulum cannot switch termination off: the pole falls within ~20 steps, so
  // both loops restart it then (the raw loop with mj_resetData on the same |θ| > 0.2 rule)
  const step = () => {
    if (env.step(action).terminated) env.reset();
  };
  env.reset({ seed: 0 });
  for (let i = 0; i < WARMUP_STEPS; i++) step();

  // the raw loop steps the env's own MjData (ctrl already holds `action`), so both
  // continue one trajectory; rounds alternate raw/env and the best round of each counts
  // (this machine is shared, so the slowest rounds measure the neighbours)
  const data = m.data;
  const fs = m.frameSkip;
  const pendulum = id.startsWith('Inverted');
  const raw = () => {
    for (let k = 0; k < fs; k++) mj.mj_step(m.model, data);
    if (pendulum && Math.abs((data.qpos as Float64Array)[1]!) > 0.2) mj.mj_resetData(m.model, data);
  };
  // every round of either loop starts from the same state (contact-rich states cost more)
  const snapshot = saveState(data);
  let rawBest = 0;
  let envBest = 0;
  const rawCpu: number[] = [];
  const envCpu: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    restoreState(m, snapshot);
    rawBest = Math.max(rawBest, timeSync(`${id} raw`, raw).opsPerSec);
    restoreState(m, snapshot);
    envBest = Math.max(envBest, timeSync(`${id} env`, step).opsPerSec);
    restoreState(m, snapshot);
    rawCpu.push(cpuRate(raw));
    restoreState(m, snapshot);
    envCpu.push(cpuRate(step));
  }
  env.close();
  return {
    env: id,
    frameSkip: fs,
    envStepsPerSec: envBest,
    rawStepsPerSec: rawBest,
    overhead: rawBest / envBest,
    envStepsPerCpuSec: median(envCpu),
    rawStepsPerCpuSec: median(rawCpu),
    cpuOverhead: median(rawCpu) / median(envCpu),
  };
}

interface Snapshot {
  time: number;
  qpos: Float64Array;
  qvel: Float64Array;
  warmstart: Float64Array;
}

function saveState(data: MjData): Snapshot {
  return {
    time: data.time,
    qpos: Float64Array.from(data.qpos as Float64Array),
    qvel: Float64Array.from(data.qvel as Float64Array),
    warmstart: Float64Array.from(data.qacc_warmstart as Float64Array),
  };
}

function restoreState(m: MujocoEnv, s: Snapshot): void {
  m.setState(s.qpos, s.qvel);
  (m.data.qacc_warmstart as Float64Array).set(s.warmstart);
  m.data.time = s.time;
}

interface VectorRow {
  variant: string;
  numEnvs: number;
  workers: number;
  envStepsPerSec: number;
}

async function benchVector(variant: string, venv: VectorEnv, workers: number): Promise<VectorRow> {
  await venv.reset(0);
  const actions = new Float64Array(venv.numEnvs * venv.actDim).fill(0.1);
  for (let i = 0; i < 200; i++) await venv.step(actions);
  let best = 0;
  for (let round = 0; round < ROUNDS; round++) {
    best = Math.max(best, (await timeAsync(variant, () => venv.step(actions))).opsPerSec);
  }
  await venv.close();
  return { variant, numEnvs: venv.numEnvs, workers, envStepsPerSec: best * venv.numEnvs };
}

const rows: EnvRow[] = [];
for (const id of ENV_IDS) rows.push(await benchEnv(id));

const VEC_ID = 'Hopper-v5';
const N = 8;
const envOptions: MakeEnvOptions = { terminateWhenUnhealthy: false };
const vectorRows: VectorRow[] = [
  await benchVector('sync (this thread)', await makeSyncVectorEnv(VEC_ID, { numEnvs: N, envOptions }), 0),
];
for (const workers of [1, 2]) {
  const venv = await makeWorkerVectorEnv(VEC_ID, { numEnvs: N, numWorkers: workers, envOptions });
  vectorRows.push(await benchVector(`worker threads`, venv, workers));
}

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: availableParallelism(),
  node: process.version,
  mujoco: mujocoVersion(),
};
if (json) {
  console.log(
    JSON.stringify({ suite: 'envs', machine, envs: rows, vector: { env: VEC_ID, rows: vectorRows } }),
  );
} else {
  log(`${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, MuJoCo ${machine.mujoco}`);
  log(
    'median of benchmark.js samples, best of ' +
      ROUNDS +
      ' alternating rounds; overhead = raw steps/s ÷ env steps/s (goal ≤ 1.15)\n',
  );
  log('wall clock: benchmark.js; CPU: steps per CPU-second of this process (median of rounds)\n');
  log(
    '| env | frame_skip | env steps/s | raw mj_step×frame_skip /s | overhead | env /CPU-s | raw /CPU-s | CPU overhead |',
  );
  log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    log(
      `| ${r.env} | ${r.frameSkip} | ${fmt(r.envStepsPerSec)} | ${fmt(r.rawStepsPerSec)} | ${r.overhead.toFixed(3)}× ` +
        `| ${fmt(r.envStepsPerCpuSec)} | ${fmt(r.rawStepsPerCpuSec)} | ${r.cpuOverhead.toFixed(3)}× |`,
    );
  }
  log(`\nvector env, ${N} × ${VEC_ID} (env steps/s = vector steps/s × ${N})\n`);
  log('| variant | workers | env steps/s |');
  log('|---|---:|---:|');
  for (const r of vectorRows) log(`| ${r.variant} | ${r.workers || '—'} | ${fmt(r.envStepsPerSec)} |`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function fmt(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}
