/**
 * bench/compile: what sr.compile buys per DDPG update at batch 64, HalfCheetah sizes
 * (bench/ddpg's update: 17 → 64 → 64 → 6, Adam, Polyak targets, 10-step PGD for the SR
 * variants), eager vs compiled on the CPU backend, with PyTorch eager (one thread) in
 * the same run when /usr/bin/python3 can import torch. Prints medians (µs per update),
 * ratios, kernel calls per update and the share of time inside kernels.
 * Then the same updates on WebGPU (dispatches, command buffers and time per update, eager
 * vs compiled replayed dispatch by dispatch vs as recorded commands;
 * EGL_PLATFORM=surfaceless on llvmpipe) and a TRPO-SR iteration (HalfCheetah-v2, 1000 steps) with compiled steps off and on:
 * optimization and sampling time (BENCH_TRPO_ITERATIONS, default 3; 0 skips it).
 *   npm run bench -- compile [--json] [--only=webgpu|trpo-products]      BENCH_MAX_TIME: seconds per case (default 1)
 * `--only=webgpu` runs the WebGPU table alone (BENCH_ROUNDS rounds, default 7 there);
 * `--only=trpo-products` the matrix products of one TRPO-SR optimization at batch 1000,
 * per shape, against BENCH_BASELINE's kernels when set (trpo-products.ts).
 * "fused" is compiled with elementwise fusion ({ fuse: true }). Also: a fused PGD step at
 * several sizes, unfused vs fused JavaScript loop vs generated WebAssembly SIMD (fusion.ts);
 * with BENCH_BASELINE=<another checkout>, its compiled updates against this tree's (baseline.ts)
 * and its compiled TRPO-SR optimization against this tree's (trpo-baseline.ts);
 * the matrix products of one DDPG-SR-A update timed alone per shape, and the multiply-adds
 * per update of each variant (products.ts).
 */
import { measureBaseline } from './baseline.js';
import { ALGOS } from '../ddpg/setup.js';
import { measureDdpg } from './ddpg.js';
import { measureFusion } from './fusion.js';
import { measureProducts } from './products.js';
import { differencesFromBaseline } from './same-bits.js';
import { torchDdpg } from './torch-peer.js';
import { measureTrpo } from './trpo.js';
import { measureTrpoBaseline } from './trpo-baseline.js';
import { measureTrpoProducts, printTrpoProducts } from './trpo-products.js';
import { measureWebgpu } from './webgpu.js';

const json = process.argv.includes('--json');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
if (only !== undefined && only !== 'webgpu' && only !== 'trpo-products')
  throw new RangeError(`bench/compile: --only takes 'webgpu' or 'trpo-products', got '${only}'`);
const cpu = only === undefined;
const maxTime = Number(process.env.BENCH_MAX_TIME ?? 1);
const rounds = Number(process.env.BENCH_ROUNDS ?? 15);

const trpoIterations = Number(process.env.BENCH_TRPO_ITERATIONS ?? 3);

if (only === 'trpo-products') {
  // the TRPO-SR optimization's products alone (and against BENCH_BASELINE's kernels)
  const table = await measureTrpoProducts(rounds, 20, process.env.BENCH_BASELINE);
  if (process.argv.includes('--json'))
    console.log(JSON.stringify({ suite: 'compile', trpoProducts: table }, null, 2));
  else printTrpoProducts(table, rounds);
  process.exit(0);
}

// the fused-kernel table first: the DDPG cases leave the arena full (see settle())
const fusion = cpu ? measureFusion([1088, 4096, 16384, 64000], rounds) : [];
const rows = cpu ? await measureDdpg(maxTime, rounds) : [];
const products = cpu
  ? ALGOS.map((a) => measureProducts(a, a === 'ddpg-sr-a' ? rounds : 1, a === 'ddpg-sr-a' ? 200 : 1))
  : [];
const baselineDir = process.env.BENCH_BASELINE;
const baseline = cpu && baselineDir ? await measureBaseline(baselineDir, rounds) : [];
const differences = cpu && baselineDir ? await differencesFromBaseline(baselineDir) : [];
const trpo = cpu && trpoIterations > 0 ? await measureTrpo(trpoIterations) : [];
const trpoBaseline =
  cpu && trpoIterations > 0 && baselineDir ? await measureTrpoBaseline(baselineDir, trpoIterations) : null;
const webgpu = await measureWebgpu(cpu ? 7 : Number(process.env.BENCH_ROUNDS ?? 7));
const torch = cpu ? torchDdpg(rounds) : { reason: 'PyTorch: not run (--only=webgpu)' };
const torchMicros = 'micros' in torch ? torch.micros : null;

if (json) {
  console.log(
    JSON.stringify(
      {
        suite: 'compile',
        unit: 'µs per update (median)',
        torch: 'version' in torch ? torch.version : torch.reason,
        rows,
        fusion,
        products,
        baseline,
        differences,
        trpoBaseline,
        torchMicros,
        webgpu,
      },
      null,
      2,
    ),
  );
} else {
  const us = (x: number): string => x.toFixed(0);
  const pct = (x: number): string => `${(100 * x).toFixed(0)}%`;
  function printCpu(): void {
    console.log(
      '| update (B=64) | eager µs | compiled µs | compiled+fused µs | eager ÷ compiled | eager ÷ fused | interleaved eager / compiled / fused µs | interleaved CPU time eager / compiled / fused µs | fused, fastest round µs | PyTorch eager µs | PyTorch ÷ fused | cost vs DDPG (fused) | kernel calls eager / compiled / fused | in kernels eager / compiled / fused |',
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of rows) {
      const t = torchMicros ? torchMicros[r.algo] : null;
      console.log(
        `| ${r.algo} | ${us(r.eager)} | ${us(r.compiled)} | ${us(r.fused)} | ${(r.eager / r.compiled).toFixed(2)}× | ${(r.eager / r.fused).toFixed(2)}× | ${us(r.eagerInterleaved)} / ${us(r.compiledInterleaved)} / ${us(r.fusedInterleaved)} | ${us(r.eagerCpu)} / ${us(r.compiledCpu)} / ${us(r.fusedCpu)} | ${us(r.fusedFastest)} | ${t === null ? 'n/a' : us(t)} | ${t === null ? 'n/a' : `${(t / r.fused).toFixed(2)}×`} | ${(r.fused / rows[0]!.fused).toFixed(2)}× | ${r.kernelCallsEager.toFixed(0)} / ${r.kernelCallsCompiled.toFixed(0)} / ${r.kernelCallsFused.toFixed(0)} | ${pct(r.kernelShareEager)} / ${pct(r.kernelShareCompiled)} / ${pct(r.kernelShareFused)} |`,
      );
    }
    console.log(
      'Fused PGD step on the CPU (CPU time, µs per step, medians of interleaved rounds): five unfused kernels vs the fused JavaScript loop vs the generated WebAssembly SIMD function',
    );
    console.log('| elements | unfused | fused loop | fused SIMD | unfused ÷ SIMD | loop ÷ SIMD |');
    console.log('|---:|---:|---:|---:|---:|---:|');
    for (const f of fusion)
      console.log(
        `| ${f.n} | ${f.unfused.toFixed(1)} | ${f.loop.toFixed(1)} | ${f.simd.toFixed(1)} | ${(f.unfused / f.simd).toFixed(2)}× | ${(f.loop / f.simd).toFixed(2)}× |`,
      );
    const sra = products.find((p) => p.algo === 'ddpg-sr-a');
    if (sra) {
      const total = sra.rows.reduce((s, r) => s + r.calls * r.minMicros, 0);
      console.log(
        `Matrix products of one DDPG-SR-A update, each shape run alone (CPU time, µs per call: fastest and median of ${rounds} rounds): ${total.toFixed(0)} µs per update at the fastest rounds`,
      );
      console.log(
        '| product | calls per update | µs per call (fastest / median) | GFLOP/s (fastest) | µs per update |',
      );
      console.log('|---|---:|---:|---:|---:|');
      for (const r of sra.rows)
        console.log(
          `| ${r.label} | ${r.calls} | ${r.minMicros.toFixed(2)} / ${r.medianMicros.toFixed(2)} | ${r.gflops.toFixed(1)} | ${(r.calls * r.minMicros).toFixed(1)} |`,
        );
      const ddpgMacs = products[0]!.macs;
      console.log(
        `Multiply-adds per update (matrix products): ${products.map((p) => `${p.algo} ${(p.macs / 1e6).toFixed(2)} M (${(p.macs / ddpgMacs).toFixed(2)}× DDPG)`).join(', ')}`,
      );
    }
    if (baseline.length > 0) {
      console.log(`Against BENCH_BASELINE=${baselineDir} in the same process (CPU time, µs per update)`);
      console.log(
        '| update (B=64) | mode | baseline | this tree | baseline ÷ this | fastest rounds: baseline / this tree | baseline ÷ this |',
      );
      console.log('|---|---|---:|---:|---:|---:|---:|');
      for (const b of baseline)
        console.log(
          `| ${b.algo} | ${b.mode} | ${us(b.baseline)} | ${us(b.current)} | ${(b.baseline / b.current).toFixed(2)}× | ${us(b.baselineFastest)} / ${us(b.currentFastest)} | ${(b.baselineFastest / b.currentFastest).toFixed(2)}× |`,
        );
      console.log(
        typeof differences === 'string'
          ? `bit for bit against the baseline: ${differences}`
          : differences.length === 0
            ? "100 updates of each variant, eager, compiled and compiled+fused: every parameter and optimizer moment equals the baseline checkout's bit for bit"
            : `results differ from the baseline checkout's after 100 updates: ${differences.join(', ')}`,
      );
    }
    console.log(
      'version' in torch
        ? `PyTorch ${torch.version} eager, one thread, same run (bench/compile/torch_ddpg.py)`
        : torch.reason,
    );
    if (trpo.length === 2) {
      const [e, c] = trpo as [(typeof trpo)[0], (typeof trpo)[0]];
      console.log(
        `TRPO-SR iteration (HalfCheetah-v2, 1000 steps), median of ${trpoIterations}: optimization eager ${e.optimizeS.toFixed(3)} s, compiled ${c.optimizeS.toFixed(3)} s (${(e.optimizeS / c.optimizeS).toFixed(2)}×); sampling eager ${e.samplingS.toFixed(3)} s, compiled ${c.samplingS.toFixed(3)} s (${(e.samplingS / c.samplingS).toFixed(2)}×); CPU time: optimization eager ${e.optimizeCpuS.toFixed(3)} s, compiled ${c.optimizeCpuS.toFixed(3)} s (${(e.optimizeCpuS / c.optimizeCpuS).toFixed(2)}×); sampling eager ${e.samplingCpuS.toFixed(3)} s, compiled ${c.samplingCpuS.toFixed(3)} s (${(e.samplingCpuS / c.samplingCpuS).toFixed(2)}×)`,
      );
    }
    if (trpoBaseline) {
      const b = trpoBaseline;
      console.log(
        `TRPO-SR compiled optimization against BENCH_BASELINE in the same process, iterations alternating, median of ${trpoIterations}: baseline ${b.baselineS.toFixed(3)} s, this tree ${b.currentS.toFixed(3)} s (${(b.baselineS / b.currentS).toFixed(2)}×); CPU time ${b.baselineCpuS.toFixed(3)} s vs ${b.currentCpuS.toFixed(3)} s (${(b.baselineCpuS / b.currentCpuS).toFixed(2)}×); policies ${b.sameBits ? 'equal bit for bit after every iteration' : 'DIFFER from the baseline checkout'}`,
      );
    }
  }
  if (cpu) printCpu();
  if (webgpu.adapter === null) console.log(`WebGPU: unavailable: ${webgpu.reason}`);
  else {
    console.log(
      `WebGPU (${webgpu.adapter}): per update, medians; compiled and fused replayed dispatch by dispatch (old) and as recorded commands (new)`,
    );
    console.log(
      '| update (B=64) | dispatches eager / compiled / fused | submits eager / compiled old / new / fused old / new | eager µs | compiled old µs | compiled new µs | fused old µs | fused new µs | compiled old ÷ new | fused old ÷ new | eager ÷ fused new | host µs outside submit eager / compiled old / new / fused old / new |',
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    const n = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(2));
    for (const r of webgpu.rows) {
      const [c, f] = [r.compiled, r.fused];
      console.log(
        `| ${r.algo} | ${n(r.eager.dispatches)} / ${n(c.commands.dispatches)} / ${n(f.commands.dispatches)} | ${[r.eager, c.dispatches, c.commands, f.dispatches, f.commands].map((m) => n(m.submits)).join(' / ')} | ${us(r.eager.micros)} | ${us(c.dispatches.micros)} | ${us(c.commands.micros)} | ${us(f.dispatches.micros)} | ${us(f.commands.micros)} | ${(c.dispatches.micros / c.commands.micros).toFixed(2)}× | ${(f.dispatches.micros / f.commands.micros).toFixed(2)}× | ${(r.eager.micros / f.commands.micros).toFixed(2)}× | ${[r.eager, c.dispatches, c.commands, f.dispatches, f.commands].map((m) => us(m.hostMicros)).join(' / ')} |`,
      );
    }
  }
  if (cpu)
    console.log(
      'goals (issue 14, one core): DDPG-SR-A ≤ 1.2 ms per update (≥ 7× PyTorch eager); each SR variant ≤ 2.5× DDPG; share of time in kernels > 60%. "in kernels": wall time inside kernel calls (a clock read on each side of every call).',
    );
}
