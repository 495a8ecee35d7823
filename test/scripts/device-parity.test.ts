/**
 * The GPU session kit's parity script (scripts/device/parity.ts): the comparison it shares
 * with the vitest harness catches mismatches, and a run over a few kernels reports each pair.
 * The WebGPU part skips loudly without an adapter; fails instead under REQUIRE_WEBGPU=1.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { runParity } from '../../scripts/device/parity.js';
import { worstViolation } from '../kernels/parity-check.js';
import type { ParityCase } from '../kernels/parity-cases.js';
import { acquireWebGPU, suiteTitle } from '../kernels/webgpu/acquire.js';

const acquired = await acquireWebGPU();
const gpu = acquired.gpu;
afterAll(() => gpu?.destroy());

const tolerant: ParityCase = { label: 'x', tol: { rtol: 1e-3, atol: 1e-6 }, run: () => [] };

describe('worstViolation', () => {
  test('accepts values within atol + rtol·|want| and NaN where NaN is wanted', () => {
    expect(worstViolation([1.0005, NaN, 0], [1, NaN, 5e-7], tolerant)).toBeNull();
  });
  test('names the first element outside the tolerance, and a length mismatch', () => {
    expect(worstViolation([1, 2.01, 3], [1, 2, 3], tolerant)).toMatch(
      /^element 1: got 2\.01, want 2 \(tolerance rtol 0\.001/,
    );
    expect(worstViolation([NaN], [1], tolerant)).toMatch(/^element 0: got NaN/);
    expect(worstViolation([1, 2], [1, 2, 3], tolerant)).toBe('length 2 vs 3');
  });
});

describe.skipIf(!gpu)(suiteTitle('scripts/device/parity.ts on WebGPU', acquired), () => {
  test('checks each matching kernel/family pair and reports ok', async () => {
    const r = await runParity(gpu!, 'matmul_naive');
    expect(r.failed).toBe(0);
    expect(r.checked).toBeGreaterThanOrEqual(2);
    expect(r.lines.map((l) => l.split(' ')[0])).toEqual(Array(r.checked).fill('ok'));
    expect(r.lines[0]).toMatch(/^ok {3}matmul_naive serving matmul$/);
  });
  test('a filter matching nothing is refused with the filter in the message', async () => {
    await expect(runParity(gpu!, 'no-such-kernel')).rejects.toThrow(
      /--filter 'no-such-kernel' matches no registered kernel/,
    );
  });
});
