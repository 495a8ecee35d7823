/** Median wall time of an async operation, measured with benchmark.js (deferred mode). */
import Benchmark from 'benchmark';

export interface TimingOptions {
  /** seconds benchmark.js may spend sampling (after one warm-up call) */
  maxTime?: number;
  minSamples?: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median milliseconds per call of `fn` (the first call, which compiles kernels, is not timed). */
export async function medianMs(fn: () => Promise<unknown>, o: TimingOptions = {}): Promise<number> {
  await fn();
  return new Promise<number>((resolve, reject) => {
    const bench = new Benchmark({
      defer: true,
      async: true,
      maxTime: o.maxTime ?? 1,
      minSamples: o.minSamples ?? 5,
      fn: (d: { resolve(): void }) => {
        fn().then(() => d.resolve(), reject);
      },
      onComplete(this: Benchmark) {
        resolve(median(this.stats.sample as number[]) * 1000);
      },
      onError(this: Benchmark) {
        reject(this.error);
      },
    });
    bench.run();
  });
}
