/**
 * The comparison the parity harness makes, shared by parity.test.ts (vitest) and
 * scripts/device/parity.ts (plain node from dist/, for machines that carry no vitest):
 * one registered WebGPU kernel, forced for one family it serves, runs that family's cases
 * and each output must match the CPU reference within the case's tolerance.
 */
import type { Backend, Storage } from '../../src/kernels/backend.js';
import { cpuBackend } from '../../src/kernels/cpu/index.js';
import type { WebGPUBackend } from '../../src/kernels/webgpu/index.js';
import { registeredKernels } from '../../src/kernels/webgpu/index.js';
import { CASES, type CaseFamily, type ParityCase } from './parity-cases.js';

/** Largest violation of |got − want| ≤ atol + rtol·|want|, with where it happened. */
export function worstViolation(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  c: ParityCase,
): string | null {
  if (got.length !== want.length) return `length ${got.length} vs ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (Number.isNaN(w) && Number.isNaN(g)) continue;
    if (!(Math.abs(g - w) <= c.tol.atol + c.tol.rtol * Math.abs(w)))
      return `element ${i}: got ${g}, want ${w} (tolerance rtol ${c.tol.rtol}, atol ${c.tol.atol})`;
  }
  return null;
}

async function readAll(b: Backend, ss: Storage[]): Promise<ArrayLike<number>[]> {
  return Promise.all(ss.map((s) => b.read(s)));
}

/** Every (kernel, family) pair the registry holds: what the harness checks. */
export function kernelFamilyPairs(): { kernel: string; family: CaseFamily }[] {
  return registeredKernels().flatMap((k) =>
    [k.family, ...(k.alsoServes ?? [])].map((family) => ({ kernel: k.name, family: family as CaseFamily })),
  );
}

/** Families served by some registered kernel that have no case generator (must be empty). */
export function familiesWithoutCases(): string[] {
  return [...new Set(kernelFamilyPairs().map((p) => p.family))].filter((f) => !(f in CASES));
}

/** Runs `family`'s cases with `kernel` forced on `gpu`; returns one line per mismatching output. */
export async function checkKernel(gpu: WebGPUBackend, kernel: string, family: CaseFamily): Promise<string[]> {
  gpu.forceKernel(family, kernel);
  const failures: string[] = [];
  try {
    for (const c of CASES[family]()) {
      const want = await readAll(cpuBackend, c.run(cpuBackend));
      const got = await readAll(gpu, c.run(gpu));
      want.forEach((w, i) => {
        const bad = worstViolation(got[i]!, w, c);
        if (bad) failures.push(`${c.label} [output ${i}]: ${bad}`);
      });
    }
  } finally {
    gpu.forceKernel(family, null);
  }
  return failures;
}
