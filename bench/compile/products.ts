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
import { cpuBackend } from '../../src/kernels/cpu/index.js';
import { resolveConfig } from '../../src/rl/trpo/config.js';
import { TrpoTrainer } from '../../src/rl/trpo/trpo.js';
import { fillDeterministic } from '../mlp/sizes.js';
import { cpuMillis, interleavedRounds } from '../mlp/measure.js';
import type { BenchAlgo } from '../ddpg/setup.js';
import { update } from '../ddpg/sr2l-ddpg.js';

/** One product as the backend was called: linear(x[m,k]·w[k,n] + b, act) or matmul(op(A)·op(B)). */
export interface Product {
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
  /** with a baseline checkout: its µs per call, fastest and median round */
  baselineMinMicros?: number;
  baselineMedianMicros?: number;
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

/**
 * Records the products issued on `backend` between start() and stop(), in call order: its
 * linear and matmul methods are wrapped until restore(). Wrapped before any trace, since a
 * compiled program binds the methods it calls when it is traced.
 */
function recorder(backend: CpuBackend): { start(): void; stop(): Product[]; restore(): void } {
  const seen: Product[] = [];
  let on = false;
  const target = backend as unknown as Record<string, (...args: unknown[]) => unknown>;
  const own = (['linear', 'matmul'] as const).map(
    (name) => [name, Object.hasOwn(target, name), target[name]!] as const,
  );
  for (const [name, , fn] of own)
    target[name] = (...a: unknown[]) => {
      if (on)
        seen.push(
          name === 'linear'
            ? linearProduct(a[3] as number, a[4] as number, a[5] as number, a[2] !== null, a[6] as Activation)
            : matmulProduct(a[1] as number[], a[3] as number[], a[4] as boolean, a[5] as boolean),
        );
      return fn.apply(backend, a);
    };
  return {
    start: () => void (on = true),
    stop: () => ((on = false), seen),
    restore: () => {
      for (const [name, wasOwn, fn] of own) {
        if (wasOwn) target[name] = fn;
        else delete target[name];
      }
    },
  };
}

/** The products of one replay of the compiled+fused update, in call order. */
function recordProducts(algo: BenchAlgo): Product[] {
  const backend = new CpuBackend();
  const r = recorder(backend);
  const f = update(algo, backend, { compiled: 'fused' });
  f(); // the trace
  r.start();
  f(); // a replay
  return r.stop();
}

/**
 * The products of one compiled TRPO-SR optimization (HalfCheetah-v2, 1000 steps: the loss
 * and its gradient, the PGD steps, the Fisher-vector products of conjugate gradient, the
 * line search) on the process's CPU backend, recorded in the trainer's second iteration
 * (the first traces its programs).
 */
export async function recordTrpoProducts(): Promise<Product[]> {
  const config = resolveConfig({
    algo: 'trpo-sr',
    env: 'HalfCheetah-v2',
    seed: 0,
    batchSize: 1000,
    evalEvery: 0,
  });
  const r = recorder(cpuBackend);
  const t = await TrpoTrainer.create(config);
  try {
    await t.learnFrom(await t.sample(t.policy), 0, 0);
    const batch = await t.sample(t.policy);
    r.start();
    await t.learnFrom(batch, 0, 0);
    return r.stop();
  } finally {
    t.close();
    r.restore();
  }
}

/**
 * Each distinct product of `products` timed alone (see the file's comment); with a
 * `baseline` backend (another checkout's CpuBackend class) each also runs there, in the
 * same interleaved rounds, so a kernel change is measured before and after under the same load.
 */
export function timeProducts(
  products: Product[],
  rounds: number,
  perRound: number,
  Baseline?: new () => CpuBackend,
): ProductRow[] {
  const groups = new Map<string, { p: Product; calls: number }>();
  for (const p of products) {
    const g = groups.get(p.label);
    if (g) g.calls++;
    else groups.set(p.label, { p, calls: 1 });
  }
  const backend = new CpuBackend();
  const base = Baseline ? new Baseline() : null;
  const list = [...groups.values()];
  const runs = list.flatMap((g) => [g.p.make(backend), ...(base ? [g.p.make(base)] : [])]);
  for (const run of runs) for (let i = 0; i < perRound; i++) run(); // warm up (the WebAssembly tiers up)
  const times = interleavedRounds(runs, rounds, perRound, cpuMillis);
  const stride = base ? 2 : 1;
  const rows = list.map(({ p, calls }, i) => {
    const t = times[i * stride]!;
    const b = base ? times[i * stride + 1]! : null;
    return {
      label: p.label,
      calls,
      minMicros: t[0]!,
      medianMicros: t[t.length >> 1]!,
      gflops: (2 * p.m * p.k * p.n) / t[0]! / 1000,
      ...(b ? { baselineMinMicros: b[0]!, baselineMedianMicros: b[b.length >> 1]! } : {}),
    };
  });
  rows.sort((a, b) => b.calls * b.minMicros - a.calls * a.minMicros);
  return rows;
}

export function measureProducts(algo: BenchAlgo, rounds: number, perRound = 200): ProductTable {
  const products = recordProducts(algo);
  return {
    algo,
    macs: products.reduce((s, p) => s + p.m * p.k * p.n, 0),
    rows: timeProducts(products, rounds, perRound),
  };
}
