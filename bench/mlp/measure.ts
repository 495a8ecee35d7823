/** One benchmark.js measurement reduced to its median time per call, in microseconds. */
import Benchmark from 'benchmark';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface MeasureOptions {
  /** seconds of sampling per case (benchmark.js maxTime) */
  maxTime: number;
}

export function medianMicros(name: string, fn: () => void, opts: MeasureOptions): number {
  fn(); // warm up once outside the timed runs (JIT, kernel caches, tfjs programs)
  const bench = new Benchmark(name, fn, { maxTime: opts.maxTime, minSamples: 5 });
  bench.run({ async: false });
  if (bench.error) throw bench.error;
  const sample = bench.stats.sample.slice().sort((a, b) => a - b);
  const mid = sample.length >> 1;
  const median = sample.length % 2 ? sample[mid]! : (sample[mid - 1]! + sample[mid]!) / 2;
  return median * 1e6;
}

/**
 * Median microseconds per call of each of `fns`, measured round-robin (each round times
 * `perRound` calls of every function in turn): on a shared machine the load drifts between
 * back-to-back benchmark.js cases, and interleaving makes the drift hit every case alike.
 * `clock` (milliseconds) defaults to wall time; cpuMillis counts only this process's CPU time.
 */
export function interleavedMicros(
  fns: (() => void)[],
  rounds = 15,
  perRound = 5,
  clock: () => number = () => performance.now(),
): number[] {
  return interleavedRounds(fns, rounds, perRound, clock).map((t) => t[t.length >> 1]!);
}

/**
 * The rounds behind interleavedMicros: per function, µs per call of every round, sorted.
 * The first (fastest) round is the one other jobs on a shared core disturbed least.
 */
export function interleavedRounds(
  fns: (() => void)[],
  rounds = 15,
  perRound = 5,
  clock: () => number = () => performance.now(),
): number[][] {
  const times = fns.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++)
    fns.forEach((f, i) => {
      const t0 = clock();
      for (let k = 0; k < perRound; k++) f();
      times[i]!.push(((clock() - t0) * 1000) / perRound);
    });
  return times.map((t) => t.sort((a, b) => a - b));
}

/** This process's CPU time (user + system) in milliseconds: on a machine shared with other jobs it counts only our work. */
export function cpuMillis(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Lets the CPU backend's WebAssembly arena take back the blocks of tensors a finished case
 * dropped: its FinalizationRegistry only runs between tasks, so a synchronous benchmark
 * loop (eager updates allocate megabytes each) fills the arena, and whatever is allocated
 * next (a compiled program's buffers traced then, the next case's tensors) lands on the
 * JavaScript heap where the SIMD kernels copy operands in and out and generated fused
 * kernels do not run. Call between cases: a full collection, then a turn of the event loop.
 */
export async function settle(): Promise<void> {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  await new Promise((r) => setTimeout(r, 0));
}
