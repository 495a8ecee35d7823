/**
 * Eager vs compiled DDPG updates (bench/ddpg's update), measured side by side: medians
 * of benchmark.js samples, medians of interleaved rounds (load on a shared machine hits
 * both alike), kernel calls per update, and the share of wall time inside kernels
 * (a clock read around each kernel call on a separate backend instance).
 */
import { CpuBackend } from '../../src/index.js';
import { KERNELS, profileRows, resetProfile } from '../../src/kernels/profile.js';
import { cpuMillis, interleavedRounds, medianMicros, settle } from '../mlp/measure.js';
import { ALGOS, type BenchAlgo } from '../ddpg/setup.js';
import { update } from '../ddpg/sr2l-ddpg.js';

export interface DdpgCompileRow {
  algo: BenchAlgo;
  /** benchmark.js medians, µs per update */
  eager: number;
  compiled: number;
  fused: number;
  /** medians of interleaved rounds, µs per update */
  eagerInterleaved: number;
  compiledInterleaved: number;
  fusedInterleaved: number;
  /** the same rounds timed by this process's CPU time (other jobs' load mostly drops out) */
  eagerCpu: number;
  compiledCpu: number;
  fusedCpu: number;
  /** the fastest interleaved round of the fused update, wall time: what a quiet core gives */
  fusedFastest: number;
  kernelCallsEager: number;
  kernelCallsCompiled: number;
  /** kernel calls plus fused loops per update */
  kernelCallsFused: number;
  /** share of wall time inside kernel calls */
  kernelShareEager: number;
  kernelShareCompiled: number;
  /** counted with fused loops as kernels */
  kernelShareFused: number;
}

/**
 * A CPU backend whose kernel calls are counted and timed with one clock read on each side
 * (SR2L_PROFILE's table also captures a stack per eager call, which would swamp the share).
 */
function timedBackend(): { backend: CpuBackend; calls: () => number; ms: () => number; reset: () => void } {
  const backend = new CpuBackend();
  let calls = 0;
  let ms = 0;
  const target = backend as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of KERNELS) {
    const fn = target[name]!.bind(backend);
    // batch uploads happen outside the update in both modes: not counted
    if (name === 'upload') continue;
    target[name] = (...args: unknown[]) => {
      const t0 = performance.now();
      const r = fn(...args);
      ms += performance.now() - t0;
      calls++;
      return r;
    };
  }
  return { backend, calls: () => calls, ms: () => ms, reset: () => ((calls = 0), (ms = 0)) };
}

/** Kernel calls per update and the share of wall time spent inside them. */
async function kernelShare(
  algo: BenchAlgo,
  compiled: boolean | 'fused',
  n = 30,
): Promise<{ calls: number; share: number }> {
  await settle(); // the program's buffers go to the arena, as in training
  const t = timedBackend();
  const f = update(algo, t.backend, { compiled });
  // programs read SR2L_PROFILE when built (at the first call): then fused loops are timed
  const saved = process.env.SR2L_PROFILE;
  if (compiled === 'fused') process.env.SR2L_PROFILE = '1';
  try {
    for (let i = 0; i < 3; i++) f();
  } finally {
    if (saved === undefined) delete process.env.SR2L_PROFILE;
    else process.env.SR2L_PROFILE = saved;
  }
  t.reset();
  resetProfile();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) f();
  const wall = performance.now() - t0;
  // fused loops run outside the backend; with SR2L_PROFILE set, replays time them
  const loops = profileRows().filter((r) => r.kernel.startsWith('fused'));
  const loopCalls = loops.reduce((s, r) => s + r.calls, 0);
  const loopMs = loops.reduce((s, r) => s + r.totalMs, 0);
  resetProfile();
  return { calls: (t.calls() + loopCalls) / n, share: (t.ms() + loopMs) / wall };
}

export async function measureDdpg(maxTime: number, rounds: number): Promise<DdpgCompileRow[]> {
  const rows: DdpgCompileRow[] = [];
  for (const algo of ALGOS) {
    await settle();
    const eagerFn = update(algo);
    const compiledFn = update(algo, undefined, { compiled: true });
    const fusedFn = update(algo, undefined, { compiled: 'fused' });
    // traced before any eager update fills the arena, so the programs' buffers live in it
    compiledFn();
    fusedFn();
    const eager = medianMicros(`eager ${algo}`, eagerFn, { maxTime });
    await settle();
    const compiled = medianMicros(`compiled ${algo}`, compiledFn, { maxTime });
    await settle();
    const fused = medianMicros(`compiled+fused ${algo}`, fusedFn, { maxTime });
    await settle();
    const wall = interleavedRounds([eagerFn, compiledFn, fusedFn], rounds);
    const [ei, ci, fi] = wall.map((t) => t[t.length >> 1]!);
    await settle();
    const [ec, cc, fc] = interleavedRounds([eagerFn, compiledFn, fusedFn], rounds, 5, cpuMillis).map(
      (t) => t[t.length >> 1]!,
    );
    const pe = await kernelShare(algo, false);
    const pc = await kernelShare(algo, true);
    const pf = await kernelShare(algo, 'fused');
    rows.push({
      algo,
      eager,
      compiled,
      fused,
      eagerInterleaved: ei!,
      compiledInterleaved: ci!,
      fusedInterleaved: fi!,
      eagerCpu: ec!,
      compiledCpu: cc!,
      fusedCpu: fc!,
      fusedFastest: wall[2]![0]!,
      kernelCallsEager: pe.calls,
      kernelCallsCompiled: pc.calls,
      kernelCallsFused: pf.calls,
      kernelShareEager: pe.share,
      kernelShareCompiled: pc.share,
      kernelShareFused: pf.share,
    });
  }
  return rows;
}
