/**
 * PyTorch eager as a same-run peer (Debian's python3-torch, run with /usr/bin/python3
 * and one thread; torch_ddpg.py beside this file). Returns null with the reason when
 * PyTorch is not installed: it is a benchmark, not a test. SR2L_BENCH_PYTHON names another
 * interpreter (the GPU machine's python3 holds its own PyTorch: docs/gpu-session.md).
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchAlgo } from '../ddpg/setup.js';

const PYTHON = process.env.SR2L_BENCH_PYTHON ?? '/usr/bin/python3';

export type TorchResult = { version: string; micros: Record<BenchAlgo, number> } | { reason: string };

export function torchDdpg(rounds: number): TorchResult {
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return { reason: 'PyTorch not installed' };
  const script = join(dirname(fileURLToPath(import.meta.url)), 'torch_ddpg.py');
  const r = spawnSync(PYTHON, [script, String(rounds)], {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
  });
  if (r.status !== 0) return { reason: `torch_ddpg.py failed: ${(r.stderr || '').trim().split('\n').pop()}` };
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
    torch: string;
    micros: Record<BenchAlgo, number>;
  };
  return { version: out.torch, micros: out.micros };
}
