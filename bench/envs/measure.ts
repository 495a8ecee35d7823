/**
 * Small wrappers over benchmark.js: run one benchmark to completion and report the
 * median time per operation over its samples (benchmark.js reports the mean).
 */
import Benchmark from 'benchmark';

export interface Timing {
  /** operations per second at the median sample */
  opsPerSec: number;
  /** relative margin of error of the mean, percent */
  rme: number;
  samples: number;
}

const OPTIONS = { maxTime: Number(process.env.BENCH_MAX_TIME ?? 2), minSamples: 10 };

/** Times a synchronous operation. */
export function timeSync(name: string, fn: () => void): Timing {
  const b = new Benchmark(name, fn, OPTIONS);
  b.run({ async: false });
  return summarize(b);
}

/** Times an asynchronous operation (benchmark.js deferred mode). */
export function timeAsync(name: string, fn: () => Promise<unknown>): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const b = new Benchmark(name, {
      ...OPTIONS,
      defer: true,
      fn: (deferred: { resolve(): void }) => {
        fn().then(
          () => deferred.resolve(),
          (e: unknown) => reject(e instanceof Error ? e : new Error(String(e))),
        );
      },
      onComplete: () => resolve(summarize(b)),
      onError: (e: { message?: string }) => reject(new Error(`${name}: ${e.message ?? 'benchmark error'}`)),
    });
    b.run({ async: true });
  });
}

function summarize(b: Benchmark): Timing {
  if (b.error) throw b.error;
  const sample = [...(b.stats.sample as number[])].sort((x, y) => x - y);
  const mid = sample.length >> 1;
  const median = sample.length % 2 ? sample[mid]! : (sample[mid - 1]! + sample[mid]!) / 2;
  return { opsPerSec: 1 / median, rme: b.stats.rme, samples: sample.length };
}

/**
 * Operations per CPU-second of this process (user + system), median over `samples`
 * batches of at least `minCpuMs` each. On a shared machine wall-clock rates also
 * measure the neighbours; CPU time of a single-threaded loop does not (much).
 */
export function cpuRate(fn: () => void, samples = 5, minCpuMs = 150): number {
  let n = 16;
  for (;;) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) fn();
    const c = process.cpuUsage(c0);
    if ((c.user + c.system) / 1000 >= minCpuMs / 4) break;
    n *= 2;
  }
  n *= 4;
  const rates: number[] = [];
  for (let s = 0; s < samples; s++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) fn();
    const c = process.cpuUsage(c0);
    rates.push(n / ((c.user + c.system) / 1e6));
  }
  rates.sort((x, y) => x - y);
  return rates[rates.length >> 1]!;
}
