/**
 * bench/compile: what sr.compile buys per DDPG update at batch 64, HalfCheetah sizes
 * (bench/ddpg's update: 17 → 64 → 64 → 6, Adam, Polyak targets, 10-step PGD for the SR
 * variants), eager vs compiled on the CPU backend, with PyTorch eager (one thread) in
 * the same run when /usr/bin/python3 can import torch. Prints medians (µs per update),
 * ratios, kernel calls per update and the share of time inside kernels.
 *   npm run bench -- compile [--json]      BENCH_MAX_TIME: seconds per case (default 1)
 * Fusion (compiled + fused) is not built yet: its column says so.
 */
import { measureDdpg } from './ddpg.js';
import { torchDdpg } from './torch-peer.js';

const json = process.argv.includes('--json');
const maxTime = Number(process.env.BENCH_MAX_TIME ?? 1);
const rounds = Number(process.env.BENCH_ROUNDS ?? 15);

const rows = measureDdpg(maxTime, rounds);
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
    '| update (B=64) | eager µs | compiled µs | compiled+fused µs | eager ÷ compiled | interleaved eager / compiled µs | ÷ | PyTorch eager µs | PyTorch ÷ compiled | cost vs DDPG (compiled) | kernel calls eager / compiled | in kernels eager / compiled |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const t = torchMicros ? torchMicros[r.algo] : null;
    console.log(
      `| ${r.algo} | ${us(r.eager)} | ${us(r.compiled)} | not built | ${(r.eager / r.compiled).toFixed(2)}× | ${us(r.eagerInterleaved)} / ${us(r.compiledInterleaved)} | ${(r.eagerInterleaved / r.compiledInterleaved).toFixed(2)}× | ${t === null ? 'n/a' : us(t)} | ${t === null ? 'n/a' : `${(t / r.compiled).toFixed(2)}×`} | ${(r.compiled / rows[0]!.compiled).toFixed(2)}× | ${r.kernelCallsEager.toFixed(0)} / ${r.kernelCallsCompiled.toFixed(0)} | ${pct(r.kernelShareEager)} / ${pct(r.kernelShareCompiled)} |`,
    );
  }
  console.log(
    'version' in torch
      ? `PyTorch ${torch.version} eager, one thread, same run (bench/compile/torch_ddpg.py)`
      : torch.reason,
  );
  console.log(
    'goals (issue 14, one core): DDPG-SR-A ≤ 1.2 ms per update (≥ 7× PyTorch eager); each SR variant ≤ 2.5× DDPG; share of time in kernels > 60%. "in kernels": wall time inside kernel calls (a clock read on each side of every call).',
  );
}
