/** One benchmark.js measurement reduced to its median time per call, in microseconds. */
import Benchmark from 'benchmark';

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
