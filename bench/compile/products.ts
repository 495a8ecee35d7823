/**
 * The matrix products of one compiled DDPG update, one row per shape: each product the
 * update's replay issues (linear layers and matmuls, recorded from one replay on a wrapped
 * CPU backend) is run again alone on arena tensors, into a preallocated output, and timed
 * by this process's CPU time in interleaved rounds. Per shape: calls per update, µs per
 * call (the fastest round, which load on a shared core disturbs least, and the median),
 * GFLOP/s at the fastest round, and µs per update. Also the multiply-adds per update, so
 * the SR variants' cost can be set against DDPG's by arithmetic alone.
 */
import type { Activation, Storage } from '../../src/kernels/backend.js';
import { CpuBackend } from '../../src/index.js';
import { fillDeterministic } from '../mlp/sizes.js';
import { cpuMillis, interleavedRounds } from '../mlp/measure.js';
import type { BenchAlgo } from '../ddpg/setup.js';
import { update } from '../ddpg/sr2l-ddpg.js';

/** One product as the backend was called: linear(x[m,k]·w[k,n] + b, act) or matmul(op(A)·op(B)). */
interface Product {
  kernel: 'linear' | 'matmul';
  label: string;
  m: number;
  k: number;
  n: number;
  /** reruns it on fresh operands of the same shapes */
  make: (backend: CpuBackend) => () => void;
}

export interface ProductRow {
  label: string;
  calls: number;
  /** µs per call: the fastest round and the median round (CPU time) */
  minMicros: number;
  medianMicros: number;
  /** 2·m·k·n / the fastest round */
  gflops: number;
}

export interface ProductTable {
  algo: BenchAlgo;
  /** multiply-adds of the update's products */
  macs: number;
  rows: ProductRow[];
}

function operand(backend: CpuBackend, size: number, seed: number): Storage {
  return backend.upload(fillDeterministic(size, seed, 1));
}

function linearProduct(m: number, k: number, n: number, bias: boolean, act: Activation): Product {
  return {
    kernel: 'linear',
    label: `linear ${m}×${k}·${k}×${n}${bias ? ' + b' : ''}, ${act}`,
    m,
    k,
    n,
    make: (be) => {
      const out = be.fill('float32', m * n, 0);
      const [x, w] = [operand(be, m * k, 1), operand(be, k * n, 2)];
      const b = bias ? operand(be, n, 3) : null;
      return () => {
        be.writeNextInto(out);
        be.linear(x, w, b, m, k, n, act);
      };
    },
  };
}

function matmulProduct(aShape: number[], bShape: number[], transA: boolean, transB: boolean): Product {
  const [m, k] = transA ? [aShape[1]!, aShape[0]!] : [aShape[0]!, aShape[1]!];
  const n = transB ? bShape[0]! : bShape[1]!;
  const t = (s: number[], tr: boolean): string => `${s.join('×')}${tr ? 'ᵀ' : ''}`;
  return {
    kernel: 'matmul',
    label: `matmul ${t(aShape, transA)}·${t(bShape, transB)}`,
    m,
    k,
    n,
    make: (be) => {
      const out = be.fill('float32', m * n, 0);
      const [a, b] = [operand(be, m * k, 4), operand(be, k * n, 5)];
      return () => {
        be.writeNextInto(out);
        be.matmul(a, aShape, b, bShape, transA, transB, [m, n]);
      };
    },
  };
}

/** The products of one replay of the compiled+fused update, in call order. */
function recordProducts(algo: BenchAlgo): Product[] {
  const backend = new CpuBackend();
  const seen: Product[] = [];
  let on = false;
  const target = backend as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of ['linear', 'matmul'] as const) {
    const fn = target[name]!.bind(backend);
    target[name] = (...a: unknown[]) => {
      if (on)
        seen.push(
          name === 'linear'
            ? linearProduct(a[3] as number, a[4] as number, a[5] as number, a[2] !== null, a[6] as Activation)
            : matmulProduct(a[1] as number[], a[3] as number[], a[4] as boolean, a[5] as boolean),
        );
      return fn(...a);
    };
  }
  const f = update(algo, backend, { compiled: 'fused' });
  f(); // the trace
  on = true;
  f(); // a replay
  return seen;
}

export function measureProducts(algo: BenchAlgo, rounds: number, perRound = 200): ProductTable {
  const products = recordProducts(algo);
  const groups = new Map<string, { p: Product; calls: number }>();
  for (const p of products) {
    const g = groups.get(p.label);
    if (g) g.calls++;
    else groups.set(p.label, { p, calls: 1 });
  }
  const backend = new CpuBackend();
  const list = [...groups.values()];
  const runs = list.map((g) => g.p.make(backend));
  for (const run of runs) for (let i = 0; i < perRound; i++) run(); // warm up (the WebAssembly tiers up)
  const times = interleavedRounds(runs, rounds, perRound, cpuMillis);
  const rows = list.map(({ p, calls }, i) => {
    const t = times[i]!;
    return {
      label: p.label,
      calls,
      minMicros: t[0]!,
      medianMicros: t[t.length >> 1]!,
      gflops: (2 * p.m * p.k * p.n) / t[0]! / 1000,
    };
  });
  rows.sort((a, b) => b.calls * b.minMicros - a.calls * a.minMicros);
  return { algo, macs: products.reduce((s, p) => s + p.m * p.k * p.n, 0), rows };
}
