/**
 * bench/compile: what sr.compile buys per DDPG update at batch 64, HalfCheetah sizes
 * (bench/ddpg's update: 17 → 64 → 64 → 6, Adam, Polyak targets, 10-step PGD for the SR
 * variants), eager vs compiled on the CPU backend, with PyTorch eager (one thread) in
 * the same run when /usr/bin/python3 can import torch. Prints medians (µs per update),
 * ratios, kernel calls per update and the share of time inside kernels.
 * Then the same updates on WebGPU (dispatches and time per update, eager vs compiled;
 * EGL_PLATFORM=surfaceless on llvmpipe) and a TRPO-SR iteration (HalfCheetah-v2, 1000 steps) with compiled steps off and on:
 * optimization and sampling time (BENCH_TRPO_ITERATIONS, default 3; 0 skips it).
 *   npm run bench -- compile [--json]      BENCH_MAX_TIME: seconds per case (default 1)
 * "fused" is compiled with elementwise fusion ({ fuse: true }).
 */
import { measureDdpg } from './ddpg.js';
import { torchDdpg } from './torch-peer.js';
import { measureTrpo } from './trpo.js';
import { measureWebgpu } from './webgpu.js';

const json = process.argv.includes('--json');
const maxTime = Number(process.env.BENCH_MAX_TIME ?? 1);
const rounds = Number(process.env.BENCH_ROUNDS ?? 15);

const trpoIterations = Number(process.env.BENCH_TRPO_ITERATIONS ?? 3);

const rows = measureDdpg(maxTime, rounds);
const trpo = trpoIterations > 0 ? await measureTrpo(trpoIterations) : [];
const webgpu = await measureWebgpu();
const torch = torchDdpg(rounds);
const torchMicros = 'micros' in torch ? torch.micros : null;

if (json) {
  console.log(
    JSON.stringify(
      {
        suite: 'compile',
        unit: 'µs per update (median)',
        torch: 'version' in torch ? torch.version : torch.reason,
        rows,
        torchMicros,
      },
      null,
      2,
    ),
  );
} else {
  const us = (x: number): string => x.toFixed(0);
  const pct = (x: number): string => `${(100 * x).toFixed(0)}%`;
  console.log(
    '| update (B=64) | eager µs | compiled µs | compiled+fused µs | eager ÷ compiled | eager ÷ fused | interleaved eager / compiled / fused µs | PyTorch eager µs | PyTorch ÷ fused | cost vs DDPG (fused) | kernel calls eager / compiled / fused | in kernels eager / compiled / fused |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const t = torchMicros ? torchMicros[r.algo] : null;
    console.log(
      `| ${r.algo} | ${us(r.eager)} | ${us(r.compiled)} | ${us(r.fused)} | ${(r.eager / r.compiled).toFixed(2)}× | ${(r.eager / r.fused).toFixed(2)}× | ${us(r.eagerInterleaved)} / ${us(r.compiledInterleaved)} / ${us(r.fusedInterleaved)} | ${t === null ? 'n/a' : us(t)} | ${t === null ? 'n/a' : `${(t / r.fused).toFixed(2)}×`} | ${(r.fused / rows[0]!.fused).toFixed(2)}× | ${r.kernelCallsEager.toFixed(0)} / ${r.kernelCallsCompiled.toFixed(0)} / ${r.kernelCallsFused.toFixed(0)} | ${pct(r.kernelShareEager)} / ${pct(r.kernelShareCompiled)} / ${pct(r.kernelShareFused)} |`,
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
  if (webgpu.adapter === null) console.log(`WebGPU: unavailable: ${webgpu.reason}`);
  else {
    console.log(`WebGPU (${webgpu.adapter}): dispatches and µs per update, medians`);
    console.log(
      '| update (B=64) | dispatches eager / compiled / fused | eager µs | compiled µs | fused µs | eager ÷ fused |',
    );
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const r of webgpu.rows)
      console.log(
        `| ${r.algo} | ${r.dispatchesEager.toFixed(0)} / ${r.dispatchesCompiled.toFixed(0)} / ${r.dispatchesFused.toFixed(0)} | ${us(r.eager)} | ${us(r.compiled)} | ${us(r.fused)} | ${(r.eager / r.fused).toFixed(2)}× |`,
      );
  }
  console.log(
    'goals (issue 14, one core): DDPG-SR-A ≤ 1.2 ms per update (≥ 7× PyTorch eager); each SR variant ≤ 2.5× DDPG; share of time in kernels > 60%. "in kernels": wall time inside kernel calls (a clock read on each side of every call).',
  );
}
