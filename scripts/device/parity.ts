/**
 * The WebGPU parity harness (test/kernels/parity.test.ts) as a plain node script, for
 * machines that carry dist/ but no vitest (the GPU session kit: docs/gpu-session.md).
 * Prints the adapter, one line per (kernel, family) checked and a summary.
 *   node scripts/device/parity.js [--filter=SUBSTRING]     (from the kit's app folder)
 * Exit status: 0 all match, 1 a mismatch, 2 no adapter or bad arguments.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createWebGPUBackend, describeAdapter, type WebGPUBackend } from '../../src/kernels/webgpu/index.js';
import { checkKernel, familiesWithoutCases, kernelFamilyPairs } from '../../test/kernels/parity-check.js';

export interface ParityReport {
  /** one line per (kernel, family): 'ok' or the first mismatches */
  lines: string[];
  checked: number;
  failed: number;
}

/** Checks every registered (kernel, family) pair whose 'kernel family' text contains `filter`. */
export async function runParity(gpu: WebGPUBackend, filter = ''): Promise<ParityReport> {
  const pairs = kernelFamilyPairs().filter((p) => `${p.kernel} ${p.family}`.includes(filter));
  if (pairs.length === 0) throw new RangeError(`parity: --filter '${filter}' matches no registered kernel`);
  const lines: string[] = [];
  let failed = 0;
  const missing = familiesWithoutCases();
  if (missing.length > 0) {
    failed++;
    lines.push(`FAIL families without a case generator in parity-cases.ts: ${missing.join(', ')}`);
  }
  for (const { kernel, family } of pairs) {
    const failures = await checkKernel(gpu, kernel, family);
    if (failures.length > 0) failed++;
    // the first three mismatches say enough to start from; the count says how many more
    const detail =
      failures.length > 3 ? [...failures.slice(0, 3), `… ${failures.length - 3} more`] : failures;
    lines.push(
      `${failures.length === 0 ? 'ok  ' : 'FAIL'} ${kernel} serving ${family}${detail.map((f) => `\n     ${f}`).join('')}`,
    );
  }
  return { lines, checked: pairs.length, failed };
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { filter: { type: 'string', default: '' } } });
  let gpu: WebGPUBackend;
  try {
    gpu = await createWebGPUBackend();
  } catch (e) {
    console.error(`parity: no WebGPU backend: ${(e as Error).message}`);
    return 2;
  }
  try {
    console.log(`parity: WebGPU adapter ${describeAdapter(gpu.adapter)}`);
    const t0 = performance.now();
    const r = await runParity(gpu, values.filter);
    for (const l of r.lines) console.log(l);
    const s = ((performance.now() - t0) / 1000).toFixed(1);
    console.log(
      `parity: ${r.checked - r.failed} of ${r.checked} kernel/family pairs match the CPU backend (${s} s)`,
    );
    return r.failed === 0 ? 0 : 1;
  } finally {
    gpu.destroy();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = await main();
