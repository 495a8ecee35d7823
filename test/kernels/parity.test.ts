/**
 * The backend parity harness: every kernel in the WebGPU registry, forced for each family it
 * serves, runs that family's cases (parity-cases.ts) and must match the CPU reference within
 * the case's stated tolerance. A new kernel is covered by registering it; a new family fails
 * the coverage test below until it has a case generator.
 */
import { afterAll, describe, expect, test } from 'vitest';
import type { Backend, Storage } from '../../src/kernels/backend.js';
import { cpuBackend } from '../../src/kernels/cpu/index.js';
import { registeredKernels } from '../../src/kernels/webgpu/index.js';
import { CASES, type CaseFamily, type ParityCase } from './parity-cases.js';
import { acquireWebGPU, suiteTitle } from './webgpu/acquire.js';

const acquired = await acquireWebGPU();
const gpu = acquired.gpu;
afterAll(() => gpu?.destroy());

/** Largest violation of |got − want| ≤ atol + rtol·|want|, with where it happened. */
function worst(got: ArrayLike<number>, want: ArrayLike<number>, c: ParityCase): string | null {
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

describe.skipIf(!gpu)(suiteTitle('WebGPU kernels match the CPU backend', acquired), () => {
  test('every kernel family in the registry has parity cases', () => {
    const families = new Set(registeredKernels().flatMap((k) => [k.family, ...(k.alsoServes ?? [])]));
    const missing = [...families].filter((f) => !(f in CASES));
    expect(missing, 'families without a case generator in parity-cases.ts').toEqual([]);
  });

  for (const kernel of registeredKernels()) {
    for (const family of [kernel.family, ...(kernel.alsoServes ?? [])] as CaseFamily[]) {
      test(`${kernel.name} serving ${family}`, async () => {
        const b = gpu!;
        b.forceKernel(family, kernel.name);
        const failures: string[] = [];
        try {
          for (const c of CASES[family]()) {
            const want = await readAll(cpuBackend, c.run(cpuBackend));
            const out = c.run(b);
            const got = await readAll(b, out);
            want.forEach((w, i) => {
              const bad = worst(got[i]!, w, c);
              if (bad) failures.push(`${c.label} [output ${i}]: ${bad}`);
            });
          }
        } finally {
          b.forceKernel(family, null);
        }
        expect(failures).toEqual([]);
      });
    }
  }
});
