/**
 * The backend parity harness: every kernel in the WebGPU registry, forced for each family it
 * serves, runs that family's cases (parity-cases.ts) and must match the CPU reference within
 * the case's stated tolerance. A new kernel is covered by registering it; a new family fails
 * the coverage test below until it has a case generator.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { checkKernel, familiesWithoutCases, kernelFamilyPairs } from './parity-check.js';
import { acquireWebGPU, suiteTitle } from './webgpu/acquire.js';

const acquired = await acquireWebGPU();
const gpu = acquired.gpu;
afterAll(() => gpu?.destroy());

describe.skipIf(!gpu)(suiteTitle('WebGPU kernels match the CPU backend', acquired), () => {
  test('every kernel family in the registry has parity cases', () => {
    expect(familiesWithoutCases(), 'families without a case generator in parity-cases.ts').toEqual([]);
  });

  for (const { kernel, family } of kernelFamilyPairs()) {
    test(`${kernel} serving ${family}`, async () => {
      expect(await checkKernel(gpu!, kernel, family)).toEqual([]);
    });
  }
});
